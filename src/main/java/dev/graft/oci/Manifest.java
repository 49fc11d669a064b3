package dev.graft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** An image manifest (OCI or Docker v2.2): a config and layers. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
  public Manifest {
    if (!MediaTypes.isManifest(mediaType)) {
      throw new OciFormatException("unsupported manifest media type '" + mediaType + "'");
    }
    layers = List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** Parses a manifest; {@code mediaType} is what the registry or layout declared, may be null. */
  public static Manifest parse(Blob blob) {
    String what = "manifest " + blob.digest().shortForm();
    JsonNode node = Json.parse(blob.bytes(), what);
    String declared = Json.optionalText(node, "mediaType");
    String mediaType = Json.mediaType(node, blob);
    if (declared != null && !declared.equals(blob.mediaType()) && MediaTypes.isManifest(blob.mediaType())) {
      throw new OciFormatException(what + " declares media type " + declared
          + " but was served as " + blob.mediaType());
    }
    if (!MediaTypes.isManifest(mediaType)) {
      throw new OciFormatException(what + " has unsupported media type '" + mediaType
          + "' (graft reads " + MediaTypes.OCI_MANIFEST + " and " + MediaTypes.DOCKER_MANIFEST + ")");
    }
    JsonNode sv = node.get("schemaVersion");
    if (sv == null || sv.asInt() != 2) {
      throw new OciFormatException(what + " has schemaVersion " + sv + ", expected 2");
    }
    Descriptor config = Json.descriptor(node.get("config"), what + " config");
    List<Descriptor> layers = Json.descriptors(node, "layers", what, "layer");
    return new Manifest(mediaType, config, layers, Json.stringMap(node, "annotations"));
  }

  /** Canonical bytes of this manifest. */
  public Blob toBlob() {
    ObjectNode n = Json.document(mediaType);
    n.set("config", Json.descriptorNode(config));
    ArrayNode arr = n.putArray("layers");
    layers.forEach(l -> arr.add(Json.descriptorNode(l)));
    Json.putAnnotations(n, annotations);
    return new Blob(mediaType, Json.write(n));
  }
}
