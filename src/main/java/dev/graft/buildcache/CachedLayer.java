package dev.graft.buildcache;

import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import java.util.Objects;

/**
 * One layer of a build cache: the local layer cache's key for its input (a sha256 over graft's
 * layer format version, the options that shape bytes and every entry with its content identity),
 * the layer blob's descriptor and the diffID of its uncompressed tar.
 */
public record CachedLayer(String key, Descriptor blob, Digest diffId) {
  public CachedLayer {
    CacheKeys.check(key, "layer key");
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(diffId, "diffId");
    if (!CacheArtifact.LAYER_TYPES.contains(blob.mediaType())) {
      throw new IllegalArgumentException("layer " + blob.digest() + " has a media type that is not one of graft's"
          + " layer types");
    }
  }
}
