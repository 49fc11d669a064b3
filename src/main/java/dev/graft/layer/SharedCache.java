package dev.graft.layer;

import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import java.util.Optional;

/**
 * A build cache kept beyond this machine (in a registry, {@code dev.graft.buildcache}): the local
 * caches consult it after a miss and tell it every entry a build used, so the build can leave a
 * complete record for the next machine. Keys are the local caches' own content keys; an answer
 * is only ever used for the key it was asked for. Implementations are thread-safe.
 */
public interface SharedCache {
  /** No shared cache: every miss is a miss. */
  SharedCache NONE = new SharedCache() {
    @Override
    public Optional<Found> layer(String key, String mediaType) {
      return Optional.empty();
    }

    @Override
    public Optional<byte[]> file(String folder, String key) {
      return Optional.empty();
    }

    @Override
    public void usedLayer(String key, Layer layer) {}

    @Override
    public void usedFile(String folder, String key) {}
  };

  /** A layer built elsewhere: its blob, its diffID, and the registry repository that holds the blob. */
  record Found(Descriptor blob, Digest diffId, ImageRef.Registry repository) {
    public Found {
      java.util.Objects.requireNonNull(blob, "blob");
      java.util.Objects.requireNonNull(diffId, "diffId");
      java.util.Objects.requireNonNull(repository, "repository");
    }
  }

  /**
   * The layer built earlier for this layer-cache key, when the shared cache knows it as a blob of
   * {@code mediaType} that its repository still holds.
   */
  Optional<Found> layer(String key, String mediaType);

  /** The bytes of the cache file {@code folder/key} (a selection or verification record), if kept. */
  Optional<byte[]> file(String folder, String key);

  /** This build uses {@code layer} for {@code key} (found locally, shared or just written). */
  void usedLayer(String key, Layer layer);

  /** This build used (read or wrote) the local cache file {@code folder/key}. */
  void usedFile(String folder, String key);
}
