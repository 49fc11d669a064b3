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

  private static List<String> files(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
