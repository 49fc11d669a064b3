package dev.graft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** An image index (OCI) or manifest list (Docker): one manifest per platform. */
public record Index(String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
  /**
   * How deep indexes may nest (index → index → …). Real images use one level, attestation
   * layouts two; a deeper chain is hostile and would otherwise cost a fetch and a stack frame each.
   */
  public static final int MAX_NESTING = 8;

  /** Refuses an index below {@code depth} ancestors (the root index is depth 1). */
  public static void checkNesting(Object image, int depth, Digest child) {
    if (depth > MAX_NESTING) {
      throw new OciFormatException(image + ": indexes nest deeper than " + MAX_NESTING + " levels (at " + child
          + "); refusing a chain this deep (hostile or broken)");
    }
  }

  public Index {
    if (!MediaTypes.isIndex(mediaType)) {
      throw new OciFormatException("unsupported index media type '" + mediaType + "'");
    }
    manifests = List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static Index parse(Blob blob) {
    String what = "index " + blob.digest().shortForm();
    JsonNode node = Json.parse(blob.bytes(), what);
    String mediaType = Json.mediaType(node, blob);
    if (!MediaTypes.isIndex(mediaType)) {
      throw new OciFormatException(what + " has unsupported media type '" + mediaType + "'");
    }
    List<Descriptor> manifests = Json.descriptors(node, "manifests", what, "entry");
    return new Index(mediaType, manifests, Json.stringMap(node, "annotations"));
  }

  public Blob toBlob() {
    ObjectNode n = Json.document(mediaType);
    ArrayNode arr = n.putArray("manifests");
    manifests.forEach(m -> arr.add(Json.descriptorNode(m)));
    Json.putAnnotations(n, annotations);
    return new Blob(mediaType, Json.write(n));
  }
}
