package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a build of the example into a local archive says, and what inspecting the result shows:
 * the words match what happened (blobs are written into a file, not uploaded) and the human views
 * say what the image runs.
 */
class BuildOutputTest {
  @TempDir static Path shared;
  static CliRun human;
  static CliRun json;
  static String archive;

  @BeforeAll
  static void build() {
    Path app = ExampleApp.copyTo(shared.resolve("app"));
    Path cache = shared.resolve("cache");
    archive = "oci-archive:" + shared.resolve("out.tar");
    human = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir", cache.toString(),
        "--platform", "linux/amd64", "--to", archive);
    json = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir", cache.toString(),
        "--platform", "linux/amd64", "--to", "oci-archive:" + shared.resolve("again.tar"), "--json", "-q");
  }

  @Test
  void blobsWrittenIntoALocalArchiveAreCalledWrittenNotUploaded() throws Exception {
    assertThat(human.exitCode()).as(human.err()).isZero();
    List<String> blobLines = human.err().lines().filter(l -> l.matches("^\\w+ +sha256:[0-9a-f]{12} .*")).toList();
    assertThat(blobLines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("written "));
    assertThat(human.err()).doesNotContain("uploaded");

    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode blobs = Json.MAPPER.readTree(json.out()).get("blobs");
    assertThat(blobs.get("uploaded").asInt()).isZero();
    assertThat(blobs.get("written").asInt()).as("base layer, four app layers, config").isEqualTo(6);
    assertThat(blobs.get("bytesWritten").asLong()).isGreaterThan(1 << 20);
  }

  @Test
  void inspectShowsWhatTheImageRunsAndWith() {
    CliRun run = CliRun.of("inspect", archive);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(
        "  entrypoint [\"node\",\"/app/backend/index.js\"]\n",
        "  cmd        (none)\n",
        "  workdir    /app\n",
        "  env\n",
        "    NODE_ENV=production\n",
        "    LIBC=glibc\n",
        "  labels\n",
        "    org.opencontainers.image.title=graft example\n");
  }

  @Test
  void verifySaysWhatItChecked() {
    CliRun run = CliRun.of("verify", archive, "--all");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("(linux/amd64): no problems found (checked the entrypoint node, "
        + "node v20.20.2 at /usr/local/bin/node, 1 native addon, 3 npm packages)");
  }
}
