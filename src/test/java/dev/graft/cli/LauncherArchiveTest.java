package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/graft}'s class-data archive (JDK 17+) and AOT cache (JDK 25+), run for real on a jar
 * whose main class prints the JVM flags it was given: a machine's first build makes none, the
 * second makes one, later runs use it, a damaged one never breaks a run or reaches stdout, and old
 * archives are pruned.
 */
class LauncherArchiveTest {
  @TempDir static Path shared;
  private static Path jar;

  @BeforeAll
  static void flagPrinter() throws IOException {
    jar = FlagPrinter.jar(shared);
  }

  /** stdout of bin/graft with {@code javaHome}; stderr must stay empty and the exit code 0. */
  private static String run(Path xdg, Path javaHome, String... args) throws Exception {
    ProcessBuilder pb = FlagPrinter.launcher(jar, xdg, args);
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.redirectError(ProcessBuilder.Redirect.to(xdg.resolveSibling(xdg.getFileName() + ".err").toFile()));
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(xdg.resolveSibling(xdg.getFileName() + ".err"));
    assertThat(p.exitValue()).as(out + err).isZero();
    assertThat(err).as("the JVM's archive messages stay off stderr").isEmpty();
    assertThat(out.lines().toList()).as("stdout holds the program's output alone").hasSize(1);
    return out;
  }

  private static List<Path> archives(Path xdg, String ext) throws IOException {
    Path dir = xdg.resolve("graft/cds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith("." + ext)).sorted().toList();
    }
  }

  @Test
  void jdk17MakesAnArchiveOnTheSecondBuildUsesItAndSurvivesADamagedOne(@TempDir Path tmp) throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path xdg = tmp.resolve("xdg");
    String first = run(xdg, javaHome, "build");
    assertThat(first).as("a machine's first build trains nothing").doesNotContain("ArchiveClassesAtExit", "Shared");
    assertThat(Files.isDirectory(xdg.resolve("graft/cds"))).isTrue();
    assertThat(run(xdg, javaHome, "version")).as("only a build trains").doesNotContain("ArchiveClassesAtExit");
    assertThat(run(xdg, javaHome, "build")).contains("-XX:ArchiveClassesAtExit=");
    List<Path> jsa = archives(xdg, "jsa");
    assertThat(jsa).hasSize(1);
    assertThat(run(xdg, javaHome, "build")).contains("-XX:SharedArchiveFile=" + jsa.get(0));
    Files.write(jsa.get(0), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // damaged: ignored by the JVM, the run goes on
    assertThat(run(xdg, javaHome, "build")).contains("-XX:SharedArchiveFile=");
    Files.delete(jsa.get(0));
    // old archives (other jar builds): the three newest stay after a new one is made
    for (int i = 0; i < 5; i++) {
      Path old = xdg.resolve("graft/cds/graft-" + i + "-1-2-3-.jsa");
      Files.write(old, new byte[] {0});
      Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
    }
    assertThat(run(xdg, javaHome, "build")).contains("-XX:ArchiveClassesAtExit=");
    assertThat(archives(xdg, "jsa")).extracting(f -> f.getFileName().toString())
        .hasSize(3).contains(jsa.get(0).getFileName().toString(), "graft-4-1-2-3-.jsa", "graft-3-1-2-3-.jsa");
  }

  @Test
  void jdk25MakesAnAotCacheOnTheSecondBuildUsesItAndSurvivesADamagedOne(@TempDir Path tmp) throws Exception {
    Optional<Path> jdk25 = newJdk();
    assumeTrue(jdk25.isPresent(), "no JDK 25 or newer under /usr/lib/jvm (bin/graft's AOT cache needs one)");
    Path xdg = tmp.resolve("xdg");
    assertThat(run(xdg, jdk25.get(), "build")).doesNotContain("AOT");
    String training = run(xdg, jdk25.get(), "build");
    assertThat(training).contains("-XX:AOTMode=record");
    List<Path> aot = archives(xdg, "aot");
    assertThat(aot).hasSize(1);
    String used = run(xdg, jdk25.get(), "build");
    assertThat(used).contains("-XX:AOTCache=" + aot.get(0));
    if (feature(jdk25.get()) == 25) { // its replay of the training's compilations kept SHA-256 off C2
      assertThat(used).contains("-XX:-AOTReplayTraining");
    }
    assertThat(used).contains("-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.SHA2::implCompress0,");
    byte[] good = Files.readAllBytes(aot.get(0));
    Files.write(aot.get(0), java.util.Arrays.copyOf(good, good.length / 3)); // truncated
    assertThat(run(xdg, jdk25.get(), "build")).contains("-XX:AOTCache=");
    Files.write(aot.get(0), new byte[4096]); // not an AOT cache at all
    assertThat(run(xdg, jdk25.get(), "build")).contains("-XX:AOTCache=");
    assertThat(run(xdg, jdk25.get(), "build", "--quiet")).as("another flag, same cache").contains("-XX:AOTCache=");
  }

  private static Optional<Path> newJdk() throws IOException {
    Path jvm = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvm)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(jvm)) {
      return s.filter(d -> Files.isExecutable(d.resolve("bin/java"))).filter(d -> feature(d) >= 25).findFirst();
    }
  }

  private static int feature(Path jdk) {
    try {
      return Files.readAllLines(jdk.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
          .map(l -> l.replaceAll("[^0-9.]", "").split("\\.")[0]).mapToInt(Integer::parseInt).findFirst().orElse(0);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
