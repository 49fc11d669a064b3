package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command reads {@code --platform} the same way as {@code build} does: Home Assistant arch
 * names ({@code armv7}, {@code aarch64}) pick the same image as their OCI names, on a real
 * three-platform Alpine layout.
 */
class PlatformOptionTest {
  @TempDir
  static Path shared;

  static AlpineImages.Fixture alpine;

  @BeforeAll
  static void layout() {
    alpine = AlpineImages.layout(shared.resolve("alpine"), "3.16");
  }

  @Test
  void lsTakesHomeAssistantArchNames() {
    CliRun arm = CliRun.of("ls", alpine.ref(), "/lib", "--platform", "armv7");
    assertThat(arm.exitCode()).as(arm.err()).isZero();
    assertThat(arm.out()).contains("/lib/ld-musl-armhf.so.1");
    CliRun aarch64 = CliRun.of("ls", alpine.ref(), "/lib", "--platform", "aarch64");
    assertThat(aarch64.out()).contains("/lib/ld-musl-aarch64.so.1");
  }

  @Test
  void extractTakesHomeAssistantArchNames(@TempDir Path tmp) {
    CliRun r = CliRun.of("extract", alpine.ref(), "/lib/ld-musl-armhf.so.1", "--to", tmp.toString(), "--platform",
        "armv7");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(tmp.resolve("lib/ld-musl-armhf.so.1")).isRegularFile();
  }

  @Test
  void inspectTakesHomeAssistantArchNames() throws Exception {
    assertThat(CliRun.of("inspect", "--raw", "--platform", "armv7", alpine.ref()).out().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(alpine.manifests().get(Platform.LINUX_ARM_V7).bytes());
    JsonNode config = Json.MAPPER.readTree(CliRun.of("inspect", "--config", "--platform", "aarch64", alpine.ref()).out());
    assertThat(config.get("architecture").asText()).isEqualTo("arm64");
  }

  @Test
  void verifyTakesHomeAssistantArchNames() throws Exception {
    CliRun r = CliRun.of("verify", "--json", "--platform", "armv7", alpine.ref());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("linux/arm/v7").doesNotContain("linux/amd64");
    CliRun a = CliRun.of("verify", "--json", "--platform", "aarch64", alpine.ref());
    assertThat(a.exitCode()).as(a.err()).isZero();
    assertThat(a.out()).contains("linux/arm64").doesNotContain("linux/arm/v7");
  }

  @Test
  void copyTakesHomeAssistantArchNames(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("copy");
    CliRun r = CliRun.of("copy", "-q", "--platform", "armv7", alpine.ref(), "oci:" + out + ":arm");
    assertThat(r.exitCode()).as(r.err()).isZero();
    String manifest = alpine.manifests().get(Platform.LINUX_ARM_V7).descriptor().digest().hex();
    assertThat(out.resolve("blobs/sha256").resolve(manifest)).isRegularFile();
    assertThat(Files.readString(out.resolve("index.json"))).contains(manifest);
  }

  @Test
  void anImageWithoutTheArchAndAnUnknownNameAreOneLineErrors() {
    // armhf is Home Assistant's ARMv6, as in build: this layout has no such image
    CliRun armhf = CliRun.of("ls", alpine.ref(), "/", "--platform", "armhf");
    assertThat(armhf.exitCode()).isNotZero();
    assertThat(armhf.error()).contains("linux/arm/v6");
    CliRun bad = CliRun.of("inspect", "--platform", "linux/arm/v7/x", alpine.ref());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.error()).contains("linux/arm/v7/x").contains("Home Assistant arch");
    CliRun two = CliRun.of("ls", alpine.ref(), "/", "--platform", "armv7,aarch64");
    assertThat(two.exitCode()).isEqualTo(2);
    assertThat(two.error()).contains("one platform");
  }
}
