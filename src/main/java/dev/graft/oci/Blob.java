package dev.graft.oci;

import java.util.Objects;

/**
 * A small blob held in memory with its exact bytes: a manifest, an index or a config. The bytes
 * are what is hashed, stored and pushed, so a copy never changes a digest.
 */
public record Blob(String mediaType, byte[] bytes) {
  public Blob {
    Objects.requireNonNull(mediaType, "mediaType");
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public Digest digest() {
    return Digest.sha256(bytes);
  }

  public long size() {
    return bytes.length;
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest(), bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blob b && b.mediaType.equals(mediaType) && java.util.Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return mediaType.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Blob[" + mediaType + ", " + digest().shortForm() + ", " + bytes.length + " bytes]";
  }
}
