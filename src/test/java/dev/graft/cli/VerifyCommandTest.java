package dev.graft.cli;

import static dev.graft.testing.NpmFixtures.NODE_X64;
import static dev.graft.testing.NpmFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft verify} on real images in OCI layouts: the merged layers are what is checked. */
class VerifyCommandTest {
  @TempDir Path tmp;

  @Test
  void passesEveryPlatformOfRealAlpine() {
    AlpineImages.Fixture alpine = AlpineImages.layout(tmp.resolve("oci"), "3.18");
    CliRun run = CliRun.of("verify", alpine.ref(), "--all");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("(linux/amd64): no problems found", "(linux/arm64/v8): no problems found",
        "(linux/arm/v7): no problems found");
    assertThat(run.out().lines().filter(l -> !l.isEmpty())).as("each platform says what was looked at").hasSize(3).allSatisfy(l ->
        assertThat(l).endsWith(": no problems found (checked the entrypoint /bin/sh, 0 native addons, 0 npm packages)"));
  }

  @Test
  void asksForAPlatformOfAMultiPlatformImage() {
    AlpineImages.Fixture alpine = AlpineImages.layout(tmp.resolve("oci"), "3.18");
    CliRun run = CliRun.of("verify", alpine.ref());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.error()).contains("has 3 platforms", "choose one with --platform, or --all");
  }

  @Test
  void failsWithExitCode1OnGlibcNodeLayeredOnAlpine() throws Exception {
    Path extra = tmp.resolve("extra");
    Files.createDirectories(extra.resolve("usr/local/bin"));
    Files.copy(file(NODE_X64, "bin/node"), extra.resolve("usr/local/bin/node"));
    Path layer = tmp.resolve("node.tar");
    Tools.runOk(Duration.ofMinutes(1), "tar", "-cf", layer.toString(), "-C", extra.toString(), "--owner=0",
        "--group=0", "--numeric-owner", "usr");
    OciLayouts.write(tmp.resolve("oci"), "app", List.of(TestData.alpine("3.18", "x86_64"), layer));
    String ref = "oci:" + tmp.resolve("oci") + ":app";

    CliRun human = CliRun.of("verify", ref);
    assertThat(human.exitCode()).isEqualTo(1);
    assertThat(human.out()).contains("1 error, 0 warnings", "ERRORS", "[LIBC_MISMATCH] /usr/local/bin/node",
        "is built for glibc, but the image only has musl", "fix: use a musl build instead");

    CliRun json = CliRun.of("verify", ref, "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode n = new ObjectMapper().readTree(json.out());
    assertThat(n.path("errors").asBoolean()).isTrue();
    JsonNode f = n.path("images").get(0).path("findings").get(0);
    assertThat(f.path("severity").asText()).isEqualTo("error");
    assertThat(f.path("code").asText()).isEqualTo("LIBC_MISMATCH");
    assertThat(f.path("path").asText()).isEqualTo("/usr/local/bin/node");
  }
}
