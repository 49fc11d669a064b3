package dev.graft.buildcache;

import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;

/** Hears what the registry build cache does, so the CLI can say it; the library prints nothing. */
public interface CacheListener {
  CacheListener NONE = new CacheListener() {};

  /** A cache was read: how many layers and records it offers. */
  default void read(ImageRef.Registry ref, Digest manifest, int layers, int records) {}

  /** {@code ref} holds no build cache yet (a first build, or a new tag). */
  default void absent(ImageRef.Registry ref) {}

  /**
   * A cache could not be read, was refused or could not be written; the build goes on without it.
   * {@code message} is a whole sentence naming the cache and why.
   */
  default void ignored(ImageRef.Registry ref, String message) {}

  /** A layer is taken from the cache at {@code ref}: not read, tarred, compressed or uploaded by this build. */
  default void layerReused(ImageRef.Registry ref, Digest layer) {}

  /** A layer the cache named is not in the registry any more (or not at its size): it is built. */
  default void blobMissing(ImageRef.Registry ref, Digest layer) {}

  /** The cache was written: its manifest digest and the bytes uploaded for it (record and layers). */
  default void written(ImageRef.Registry ref, Digest manifest, long bytesUploaded) {}

  /** The cache already held exactly this build's record: nothing was written. */
  default void unchanged(ImageRef.Registry ref, Digest manifest) {}
}
