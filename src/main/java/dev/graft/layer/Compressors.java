package dev.graft.layer;

import dev.graft.oci.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;

/** Opens the compressing stream for a layer's compression, all of them host-independent. */
public final class Compressors {
  private Compressors() {}

  public static OutputStream open(OutputStream out, LayerOptions options) throws IOException {
    return switch (options.compression()) {
      case NONE -> out;
      case GZIP -> new ParallelGzipOutputStream(out, options.level(), options.threads());
      // zstd-jni bundles its own libzstd, so the bytes do not depend on the host. With one or
      // more workers zstd's output is the same for any worker count (unlike 0 = single-threaded
      // mode, which frames differently), so workers are always >= 1. Bytes go in through direct
      // buffers (DirectZstdOutputStream says why).
      case ZSTD -> new DirectZstdOutputStream(out, options.level(), options.threads());
    };
  }

  public static String mediaType(MediaTypes.Compression compression) {
    return switch (compression) {
      case NONE -> MediaTypes.OCI_LAYER;
      case GZIP -> MediaTypes.OCI_LAYER_GZIP;
      case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
    };
  }
}
