package dev.graft.layer;

import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A written layer: {@code diffId} is the sha256 of the uncompressed tar (the config's
 * rootfs.diff_ids), {@code digest} and {@code compressedSize} describe the blob at {@code blob}
 * (what the manifest lists).
 */
public record Layer(Digest diffId, Digest digest, long compressedSize, String mediaType, Path blob) {
  public Layer {
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(blob, "blob");
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, compressedSize);
  }
}
