package dev.graft.buildcache;

import dev.graft.layer.Layer;
import dev.graft.oci.BlobContent;
import dev.graft.oci.ImageRef;
import dev.graft.registry.RegistryOptions;
import dev.graft.registry.RegistrySource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/** Where a layer's bytes come from when it is written somewhere. */
public final class LayerContent {
  private LayerContent() {}

  /**
   * The local cache's blob when it is there; for a layer of the registry build cache, the
   * repository that holds it (a registry sink there skips or mounts it and reads nothing; anywhere
   * else the blob is downloaded and checked against its digest on the way).
   */
  public static BlobContent of(Layer layer, RegistryOptions options) {
    if (layer.remote() == null || Files.isRegularFile(layer.blob())) {
      return new BlobContent(() -> Files.newInputStream(layer.blob()), null);
    }
    ImageRef.Registry origin = layer.remote();
    return new BlobContent(() -> open(layer, origin, options), origin);
  }

  /** The blob's bytes from {@code origin}; closing the stream closes the source that opened it. */
  private static InputStream open(Layer layer, ImageRef.Registry origin, RegistryOptions options) throws IOException {
    RegistrySource source = new RegistrySource(origin, options);
    try {
      return new FilterInputStream(source.openBlob(layer.descriptor())) {
        @Override
        public void close() throws IOException {
          try (source) {
            super.close();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }
}
