package dev.graft.cli;

import dev.graft.assemble.BuildResult;
import dev.graft.oci.OneLineFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the next build is expected to be light, for the {@code bin/graft} launcher to pick its
 * JIT: a light build's time is mostly code that runs once (start-up, cache checks), where the C1
 * compiler alone finishes sooner; a heavy one's is deflate and hashing loops, which need C2
 * (BENCHMARKS.md). The next build is usually a rebuild of what this one made, so it finds this
 * one's layers in the cache: the hint is {@code light}, unless this build wrote more than
 * {@link #HEAVY_BYTES} of new layers although the cache held an earlier build (dependencies or
 * base changing, or projects taking turns): then {@code heavy}. A first build in an empty cache is
 * heavy by nature and says nothing about its successor. Only a hint: absent or unreadable means
 * heavy to the launcher, and no image depends on it. One small file in the cache directory,
 * replaced atomically.
 */
final class LaunchHint {
  static final String FILE = "launch-hint";
  /** Compressed bytes of layers written by one build above which the next build is expected to be heavy too. */
  static final long HEAVY_BYTES = 8L << 20;

  private LaunchHint() {}

  /**
   * The hint after {@code result}: {@code light} after a first build (no earlier hint), else by the
   * bytes of layers it wrote (not taken from the cache).
   */
  static String of(BuildResult result, boolean first) {
    long written = result.platforms().stream().flatMap(p -> p.layers().stream()).filter(l -> !l.cached())
        .mapToLong(BuildResult.LayerResult::size).sum();
    return first || written <= HEAVY_BYTES ? "light" : "heavy";
  }

  /** Records the hint for {@code result}; a failure is ignored (the launcher then assumes heavy). */
  static void record(Path cacheDir, BuildResult result) {
    Path file = cacheDir.resolve(FILE);
    String hint = of(result, !Files.exists(file));
    try {
      if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).strip().equals(hint)) {
        return;
      }
      OneLineFile.replace(file, hint);
    } catch (IOException | RuntimeException e) {
      // a hint only
    }
  }
}
