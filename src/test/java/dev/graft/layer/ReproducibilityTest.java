package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.MediaTypes.Compression;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibilityTest {
  @TempDir Path tmp;

  /** Guards the writer's output: if this changes, every layer graft ever built changes digest. */
  @Test
  void sampleLayerHasGoldenDigests() throws Exception {
    List<String> got = new ArrayList<>();
    for (Compression c : Compression.values()) {
      Layer l = LayerWriter.write(LayerWriterTest.sample(), LayerOptions.of(c), tmp.resolve("l-" + c));
      got.add(c + " " + l.diffId() + " " + l.digest());
    }
    assertThat(got).containsExactly(
        "NONE sha256:874739e42957d29eb47206e69a125fa2bbac79f8db98b4d4e2cf63585db8efe6"
            + " sha256:874739e42957d29eb47206e69a125fa2bbac79f8db98b4d4e2cf63585db8efe6",
        "GZIP sha256:874739e42957d29eb47206e69a125fa2bbac79f8db98b4d4e2cf63585db8efe6"
            + " sha256:a805d262228e6d308b3c9987ada6957fa7377fd3791ab516e9ba4c21db349393",
        "ZSTD sha256:874739e42957d29eb47206e69a125fa2bbac79f8db98b4d4e2cf63585db8efe6"
            + " sha256:027381751ebb9f472f74b154ad44a5542b066df8ba6c5bd922bf6a2f633eefb3");
  }

  @Test
  void sourceDateEpochSetsEveryMtime() throws Exception {
    LayerOptions o = LayerOptions.of(Compression.NONE).withEnvironment(java.util.Map.of("SOURCE_DATE_EPOCH", "1700000000"));
    Layer l = LayerWriter.write(LayerWriterTest.sample(), o, tmp.resolve("l"));
    String listing = Tools.runOk(Duration.ofMinutes(1), "env", "TZ=UTC", "tar", "--full-time", "-tvf",
        l.blob().toString()).stdout();
    assertThat(listing.lines()).allMatch(line -> line.contains("2023-11-14 22:13:20"));
  }

  /** Every JDK on this machine, each in a fresh JVM with its own umask, TZ, directory and core count. */
  @Test
  void sameLayersFromEveryJdkUmaskTimeZoneDirectoryAndCoreCount() throws Exception {
    List<Path> jdks;
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
      jdks = s.filter(p -> Files.isExecutable(p.resolve("bin/java")) && !Files.isSymbolicLink(p)).sorted().toList();
    }
    assertThat(jdks).hasSizeGreaterThanOrEqualTo(2);
    String expected = String.join("", ReproducibleLayerMain.run(Files.createDirectories(tmp.resolve("inprocess"))));
    String[][] envs = {{"022", "UTC", "2"}, {"077", "Pacific/Chatham", "1"}};
    int run = 0;
    for (Path jdk : jdks) {
      for (String[] env : envs) {
        Path work = Files.createDirectories(tmp.resolve("run" + run++ + "/deeper/dir"));
        String cmd = "umask " + env[0] + " && cd " + work + " && TZ=" + env[1] + " LC_ALL=C GRAFT_SHARED_TESTDATA=" + TestData.sharedTestdata() + " exec " + jdk.resolve("bin/java")
            + " -XX:ActiveProcessorCount=" + env[2] + " -cp " + classPath() + " " + ReproducibleLayerMain.class.getName()
            + " " + work;
        Tools.Result r = Tools.run(Duration.ofMinutes(5), "sh", "-c", cmd);
        assertThat(r.exitCode()).as(jdk + " " + String.join(",", env) + ": " + r.stderr()).isZero();
        assertThat(r.stdout()).as(jdk + " umask " + env[0] + " TZ " + env[1]).isEqualTo(expected);
      }
    }
  }

  private static String classPath() throws IOException {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
