package dev.graft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
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
    String mediaType = declared != null ? declared : blob.mediaType();
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
    List<Descriptor> layers = new ArrayList<>();
    JsonNode ls = node.get("layers");
    if (ls == null || !ls.isArray()) {
      throw new OciFormatException(what + ": 'layers' is missing or not an array");
    }
    for (JsonNode l : ls) {
      layers.add(Json.descriptor(l, what + " layer"));
    }
    return new Manifest(mediaType, config, layers, Json.stringMap(node, "annotations"));
  }

  /** Canonical bytes of this manifest. */
  public Blob toBlob() {
    ObjectNode n = Json.object();
    n.put("schemaVersion", 2);
    n.put("mediaType", mediaType);
    n.set("config", Json.descriptorNode(config));
    ArrayNode arr = n.putArray("layers");
    layers.forEach(l -> arr.add(Json.descriptorNode(l)));
    if (!annotations.isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      new java.util.TreeMap<>(annotations).forEach(a::put);
    }
    return new Blob(mediaType, Json.write(n));
  }
}
