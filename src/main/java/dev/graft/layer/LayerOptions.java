package dev.graft.layer;

import dev.graft.oci.MediaTypes.Compression;
import java.util.Map;
import java.util.Objects;

/**
 * How layers are written. {@code level} is the gzip (1–9) or zstd (1–19) level; {@code threads}
 * only changes speed, never bytes; {@code mtimeSeconds} is the one timestamp every entry carries.
 */
public record LayerOptions(Compression compression, int level, int threads, long mtimeSeconds) {
  /** 1970-01-01T00:00:01Z: epoch + 1s, because some tools treat an mtime of 0 as "unset". */
  public static final long DEFAULT_MTIME = 1;

  public LayerOptions {
    Objects.requireNonNull(compression, "compression");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    int max = compression == Compression.ZSTD ? 19 : 9;
    if (compression != Compression.NONE && (level < 1 || level > max)) {
      throw new IllegalArgumentException(compression + " level must be 1.." + max + ", got " + level);
    }
    if (mtimeSeconds < 0) {
      throw new IllegalArgumentException("negative mtime " + mtimeSeconds);
    }
  }

  /** gzip level 6 (gzip's default), all cores, mtime epoch+1s. */
  public static LayerOptions defaults() {
    return of(Compression.GZIP);
  }

  public static LayerOptions of(Compression compression) {
    return of(compression, 0);
  }

  /** {@code level} 0 is the algorithm's default: gzip 6, zstd 3 (their own command-line defaults). */
  public static LayerOptions of(Compression compression, int level) {
    int l = level > 0 ? level : compression == Compression.ZSTD ? 3 : 6;
    return new LayerOptions(compression, l, Runtime.getRuntime().availableProcessors(), DEFAULT_MTIME);
  }

  public LayerOptions withThreads(int n) {
    return new LayerOptions(compression, level, n, mtimeSeconds);
  }

  public LayerOptions withMtime(long seconds) {
    return new LayerOptions(compression, level, threads, seconds);
  }

  /** Applies {@code SOURCE_DATE_EPOCH} from the environment (reproducible-builds.org convention). */
  public LayerOptions withEnvironment(Map<String, String> env) {
    String epoch = env.get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return this;
    }
    try {
      return withMtime(Long.parseLong(epoch.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SOURCE_DATE_EPOCH must be whole seconds since 1970, got '" + epoch + "'");
    }
  }

  /** The part of the options that decides the layer's bytes (threads do not). */
  public String cacheKey() {
    return compression + "/" + level + "/" + mtimeSeconds + "/gzip-block-" + ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE;
  }
}
