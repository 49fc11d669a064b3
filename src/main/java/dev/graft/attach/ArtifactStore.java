package dev.graft.attach;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * Where artifacts attached to an image (signatures, SBOMs, provenance) are written and found: the
 * repository or layout that holds the image. Attached artifacts are small documents, so they are
 * passed whole.
 */
public interface ArtifactStore extends Closeable {
  /** The repository as cosign names it in a signature payload, e.g. "ghcr.io/acme/app". */
  String repositoryName();

  /** The manifest or index under {@code tag}, if the tag exists. */
  Optional<Blob> manifestByTag(String tag) throws IOException;

  /** The manifest or index with {@code digest}, verified, if the store has it. */
  Optional<Blob> manifest(Digest digest) throws IOException;

  /** A manifest by digest (as listed in a referrers index), verified. */
  Blob manifest(Descriptor descriptor) throws IOException;

  /** A small blob (a signature payload, an SBOM), verified against its descriptor. */
  byte[] blob(Descriptor descriptor) throws IOException;

  void putBlob(Descriptor descriptor, byte[] content) throws IOException;

  /**
   * Writes a manifest by digest. For a referrer ({@code subject} present) returns whether the
   * store indexed it itself (a registry with the OCI 1.1 referrers API); false means the caller
   * lists it in the tag-schema fallback index.
   */
  boolean putManifest(Blob manifest, Optional<Digest> subject) throws IOException;

  /** Points {@code tag} at {@code manifest} (already written with putManifest). */
  void tag(String tag, Blob manifest) throws IOException;

  /** The referrers API's answer for {@code subject}, or empty when the store has no such API. */
  Optional<Blob> referrersApi(Digest subject) throws IOException;
}
