package dev.graft.attach;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One document attached to an image as an OCI 1.1 referrer: an image manifest whose
 * {@code artifactType} says what it holds, with the empty config, the document as its one layer,
 * and {@code subject} naming the image. The same document and subject give the same bytes.
 */
public record Artifact(String artifactType, String layerMediaType, byte[] content, Map<String, String> annotations) {
  /** The OCI 1.1 empty descriptor's content: "{}" (image-spec's application/vnd.oci.empty.v1+json). */
  static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
  static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";

  public Artifact {
    Objects.requireNonNull(artifactType, "artifactType");
    Objects.requireNonNull(layerMediaType, "layerMediaType");
    content = content.clone();
    annotations = Map.copyOf(annotations);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  public Descriptor layer() {
    return new Descriptor(layerMediaType, Digest.sha256(content), content.length);
  }

  static Descriptor emptyConfig() {
    return new Descriptor(EMPTY_MEDIA_TYPE, Digest.sha256(EMPTY_CONFIG), EMPTY_CONFIG.length);
  }

  /** The referrer manifest for {@code subject}. */
  public Blob manifest(Descriptor subject) {
    ObjectNode n = Json.document(MediaTypes.OCI_MANIFEST);
    n.put("artifactType", artifactType);
    n.set("config", descriptorNode(emptyConfig(), Map.of()));
    ArrayNode layers = n.putArray("layers");
    layers.add(descriptorNode(layer(), Map.of()));
    n.set("subject", descriptorNode(new Descriptor(subject.mediaType(), subject.digest(), subject.size()), Map.of()));
    Json.putAnnotations(n, annotations);
    return new Blob(MediaTypes.OCI_MANIFEST, Json.write(n));
  }

  static ObjectNode descriptorNode(Descriptor d, Map<String, String> extra) {
    ObjectNode n = Json.object();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    Map<String, String> all = new TreeMap<>(d.annotations());
    all.putAll(extra);
    if (!all.isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      all.forEach(a::put);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Artifact a && a.artifactType.equals(artifactType) && a.layerMediaType.equals(layerMediaType)
        && java.util.Arrays.equals(a.content, content) && a.annotations.equals(annotations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(artifactType, layerMediaType, java.util.Arrays.hashCode(content), annotations);
  }

  @Override
  public String toString() {
    return "Artifact[" + artifactType + ", " + content.length + " bytes]";
  }
}
