package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout README's first command copies is what its script makes, and other tools read it. */
class ExampleLayoutTest {
  static final Path EXAMPLE = TestData.projectRoot().resolve("testdata/example");

  @Test
  void committedExampleIsExactlyWhatTheScriptMakes(@TempDir Path tmp) throws IOException {
    Path made = tmp.resolve("oci");
    Tools.runOk(Duration.ofMinutes(1), EXAMPLE.resolve("make-layout.sh").toString(), made.toString());
    List<String> committed = files(EXAMPLE.resolve("oci"));
    assertThat(files(made)).isEqualTo(committed);
    for (String f : committed) {
      assertThat(made.resolve(f)).as(f).hasSameBinaryContentAs(EXAMPLE.resolve("oci").resolve(f));
    }
  }

  @Test
  void exampleIsSmallAndSkopeoReadsIt() throws IOException {
    long bytes;
    try (var walk = Files.walk(EXAMPLE.resolve("oci"))) {
      bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(bytes).isLessThan(8 * 1024);
    Tools.require("skopeo");
    String raw = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw", "oci:" + EXAMPLE.resolve("oci") + ":latest")
        .stdout();
    assertThat(raw).contains("\"architecture\":\"arm64\"").contains("\"architecture\":\"amd64\"");
  }

  /**
   * Golden digests: the archives graft writes from the example depend on nothing but their input.
   * If an intended format change moves them, update the constants in the same commit.
   */
  @Test
  void archivesOfTheExampleHaveTheirGoldenDigests(@TempDir Path tmp) throws IOException {
    Path oci = tmp.resolve("example.tar");
    Path docker = tmp.resolve("example-docker.tar");
    assertThat(CliRun.of("copy", "-q", "oci:" + EXAMPLE.resolve("oci") + ":latest", "oci-archive:" + oci + ":latest")
        .exitCode()).isZero();
    assertThat(CliRun.of("copy", "-q", "--platform", "linux/arm64", "oci:" + EXAMPLE.resolve("oci") + ":latest",
        "docker-archive:" + docker + ":example:1").exitCode()).isZero();
    assertThat(sha256(oci)).isEqualTo("9ecd3b4d98dc1fea45d56966a763eb23001f05806e399757325f0893f8a9ac83");
    assertThat(sha256(docker)).isEqualTo("a617344e0158de7c14e20c4ce533342ac25f512134898ea958dd350a645ea38b");
  }

  private static String sha256(Path file) throws IOException {
    return dev.graft.oci.Digest.sha256(Files.readAllBytes(file)).hex();
  }

  private static List<String> files(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
