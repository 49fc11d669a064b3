package dev.graft.layer;

import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Require;
import java.nio.file.Path;

/**
 * A written layer: {@code diffId} is the sha256 of the uncompressed tar (the config's
 * rootfs.diff_ids), {@code digest} and {@code compressedSize} describe the blob at {@code blob}
 * (what the manifest lists). {@code remote} is null for a layer whose blob is on local disk; for
 * one taken from a shared build cache it names the registry repository that holds the blob, and
 * {@code blob} is where the local cache would keep it (absent until someone downloads it).
 */
public record Layer(Digest diffId, Digest digest, long compressedSize, String mediaType, Path blob,
    ImageRef.Registry remote) {
  public Layer {
    Require.nonNull("diffId, digest, mediaType, blob", diffId, digest, mediaType, blob);
  }

  /** A layer whose blob is on local disk at {@code blob}. */
  public Layer(Digest diffId, Digest digest, long compressedSize, String mediaType, Path blob) {
    this(diffId, digest, compressedSize, mediaType, blob, null);
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, compressedSize);
  }

  /** The same layer listed under another media type of the same bytes (a Docker manifest's name for gzip). */
  public Layer withMediaType(String type) {
    return new Layer(diffId, digest, compressedSize, type, blob, remote);
  }
}
