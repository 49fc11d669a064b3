package dev.graft.attach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OCI 1.1 referrers, written and found as distribution-spec 1.1 says: a referrer manifest is
 * pushed by digest; a registry with the referrers API indexes it itself (it answers the push with
 * {@code OCI-Subject}); otherwise the client keeps the tag-schema fallback, an image index tagged
 * {@code <alg>-<hex>} of the subject listing every referrer, read, extended and pushed again.
 * Listing asks the referrers API first and reads the fallback tag where there is none.
 */
public final class Referrers {
  private Referrers() {}

  /** The fallback tag for {@code subject}: "sha256-<hex>". */
  public static String fallbackTag(Digest subject) {
    return subject.algorithm() + "-" + subject.hex();
  }

  /** Pushes {@code artifact} as a referrer of {@code subject}; returns its manifest's descriptor. */
  public static Descriptor attach(ArtifactStore store, Artifact artifact, Descriptor subject) throws IOException {
    Blob manifest = artifact.manifest(subject);
    store.putBlob(Artifact.emptyConfig(), Artifact.EMPTY_CONFIG);
    store.putBlob(artifact.layer(), artifact.content());
    boolean indexed = store.putManifest(manifest, Optional.of(subject.digest()));
    Descriptor entry = manifest.descriptor();
    if (!indexed) {
      addToFallback(store, subject.digest(), entry, artifact.artifactType(), artifact.annotations());
    }
    return entry;
  }

  /**
   * Lists {@code entry} in the fallback index of {@code subject}, keeping every entry already
   * there (whoever wrote it, with every field as it was); an entry already listed is not added again.
   */
  static void addToFallback(ArtifactStore store, Digest subject, Descriptor entry, String artifactType,
      Map<String, String> annotations) throws IOException {
    String tag = fallbackTag(subject);
    Optional<Blob> existing = store.manifestByTag(tag);
    ObjectNode index;
    if (existing.isPresent() && MediaTypes.isIndex(existing.get().mediaType())) {
      index = (ObjectNode) Json.parse(existing.get().bytes(), "referrers index " + store + ":" + tag);
    } else {
      // A tag of that name that is not an index is not a fallback list: replaced, as the spec allows.
      index = Json.document(MediaTypes.OCI_INDEX);
      index.putArray("manifests");
    }
    JsonNode manifests = index.get("manifests");
    ArrayNode list = manifests != null && manifests.isArray() ? (ArrayNode) manifests : index.putArray("manifests");
    for (JsonNode m : list) {
      if (entry.digest().toString().equals(m.path("digest").asText())) {
        return;
      }
    }
    ObjectNode node = Artifact.descriptorNode(entry, annotations);
    node.put("artifactType", artifactType);
    list.add(node);
    Blob updated = new Blob(MediaTypes.OCI_INDEX, Json.write(index));
    store.putManifest(updated, Optional.empty());
    store.tag(tag, updated);
  }

  /** The referrers of {@code subject} of {@code artifactType} (every type when null). */
  public static List<Referrer> list(ArtifactStore store, Digest subject, String artifactType) throws IOException {
    Optional<Blob> index = store.referrersApi(subject);
    if (index.isEmpty()) {
      index = store.manifestByTag(fallbackTag(subject)).filter(b -> MediaTypes.isIndex(b.mediaType()));
    }
    List<Referrer> out = new ArrayList<>();
    if (index.isEmpty()) {
      return out;
    }
    JsonNode root = Json.parse(index.get().bytes(), "referrers of " + subject + " in " + store);
    for (JsonNode m : root.path("manifests")) {
      String type = m.path("artifactType").asText("");
      if (artifactType != null && !artifactType.equals(type)) {
        continue;
      }
      try {
        Descriptor d = new Descriptor(m.path("mediaType").asText(MediaTypes.OCI_MANIFEST),
            Digest.parse(m.path("digest").asText("")), m.path("size").asLong(-1));
        out.add(new Referrer(d, type));
      } catch (IllegalArgumentException e) {
        throw new OciFormatException("referrers of " + subject + " in " + store + " list a broken descriptor: "
            + e.getMessage());
      }
    }
    return out;
  }

  /** The document a referrer holds (its first layer), checked to name {@code subject}. */
  public static byte[] content(ArtifactStore store, Referrer referrer, Digest subject) throws IOException {
    Blob manifest = store.manifest(referrer.descriptor());
    JsonNode root = Json.parse(manifest.bytes(), "referrer " + referrer.descriptor().digest());
    if (!subject.toString().equals(root.path("subject").path("digest").asText())) {
      throw new OciFormatException("referrer " + referrer.descriptor().digest() + " in " + store
          + " is listed for " + subject + " but names subject '" + root.path("subject").path("digest").asText() + "'");
    }
    dev.graft.oci.Manifest parsed = dev.graft.oci.Manifest.parse(manifest);
    if (parsed.layers().isEmpty()) {
      throw new OciFormatException("referrer " + referrer.descriptor().digest() + " in " + store + " has no layer");
    }
    return store.blob(parsed.layers().get(0));
  }
}
