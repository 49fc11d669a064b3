package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.assemble.BuildResult;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bin/graft} launcher picks the JIT of a build from the hint the last build left in the
 * same cache directory ({@link LaunchHint}). Run for real: the launcher script starts a real JVM on
 * a jar whose main class prints the JVM flags it was given.
 */
class LauncherTest {
  private static final String C1 = "-XX:TieredStopAtLevel=1";
  @TempDir static Path shared;
  private static Path jar;

  @BeforeAll
  static void flagPrinter() throws IOException {
    jar = FlagPrinter.jar(shared);
  }

  private static String flags(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = FlagPrinter.launcher(jar, shared.resolve("xdg"), args).redirectErrorStream(true);
    pb.environment().put("GRAFT_CDS", "0");
    pb.environment().putAll(env);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      // no input
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void aBuildRunsC1OnlyWhenItsCacheDirectorySaysTheLastBuildWasLight(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    assertThat(flags(Map.of(), "build", "--cache-dir", cache.toString())).as("no hint: a first build")
        .doesNotContain(C1).contains("-XX:+UseSerialGC");
    Files.createDirectories(cache);
    Files.writeString(cache.resolve(LaunchHint.FILE), "light\n");
    assertThat(flags(Map.of(), "build", "--cache-dir", cache.toString())).contains(C1);
    assertThat(flags(Map.of(), "build", "-q", "--cache-dir=" + cache)).contains(C1);
    assertThat(flags(Map.of(), "build")).as("another cache directory").doesNotContain(C1);
    assertThat(flags(Map.of(), "inspect", "--cache-dir", cache.toString())).as("not a build").doesNotContain(C1);
    assertThat(flags(Map.of("GRAFT_JIT", "tiered"), "build", "--cache-dir", cache.toString())).doesNotContain(C1);
    Files.writeString(cache.resolve(LaunchHint.FILE), "heavy\n");
    assertThat(flags(Map.of(), "build", "--cache-dir", cache.toString())).doesNotContain(C1);
    assertThat(flags(Map.of("GRAFT_JIT", "c1"), "build", "--cache-dir", cache.toString())).contains(C1);
    // the default cache directory
    Path xdgCache = Files.createDirectories(shared.resolve("xdg/graft"));
    Files.writeString(xdgCache.resolve(LaunchHint.FILE), "light\n");
    assertThat(flags(Map.of(), "build", "-f", "graft.yaml")).contains(C1);
    Files.delete(xdgCache.resolve(LaunchHint.FILE));
  }

  @Test
  void theHintIsLightAfterAFirstBuildAndHeavyAfterABigWriteIntoAWarmCache(@TempDir Path tmp) throws Exception {
    BuildResult small = result(new BuildResult.LayerResult("app", D, D, 100_000, false),
        new BuildResult.LayerResult("runtime", D, D, 40L << 20, true));
    BuildResult big = result(new BuildResult.LayerResult("deps", D, D, 40L << 20, false));
    assertThat(LaunchHint.of(small, false)).isEqualTo("light");
    assertThat(LaunchHint.of(big, false)).isEqualTo("heavy");
    assertThat(LaunchHint.of(big, true)).as("its successor finds its layers").isEqualTo("light");

    Path cache = tmp.resolve("cache");
    LaunchHint.record(cache, big);
    assertThat(Files.readString(cache.resolve(LaunchHint.FILE))).isEqualTo("light\n");
    LaunchHint.record(cache, big);
    assertThat(Files.readString(cache.resolve(LaunchHint.FILE))).isEqualTo("heavy\n");
    LaunchHint.record(cache, small);
    assertThat(Files.readString(cache.resolve(LaunchHint.FILE))).isEqualTo("light\n");
  }

  private static final Digest D = Digest.parse("sha256:" + "0".repeat(64));

  private static BuildResult result(BuildResult.LayerResult... layers) {
    return new BuildResult(List.of(new BuildResult.PlatformResult(Platform.parse("linux/amd64"), D, D,
        List.of(layers), Optional.empty())), Optional.empty(), List.of(), new BuildResult.Transfer(0, 0, 0, 0, 0, 0));
  }
}
