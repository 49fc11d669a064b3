package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Index;
import dev.graft.oci.Json;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft inspect}: summary, --raw, --config, --json, --platform. */
class InspectCommandTest {
  @TempDir
  static Path shared;

  static Fixture alpine;

  @BeforeAll
  static void fixture() {
    alpine = AlpineImages.layout(shared.resolve("alpine"), "3.18");
  }

  @Test
  void summarisesPlatformsLayersSizesAndDigests() {
    CliRun run = CliRun.of("inspect", alpine.ref());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Digest:      " + alpine.root().digest())
        .contains("Media type:  application/vnd.oci.image.index.v1+json")
        .contains("Platforms:   3")
        .contains("linux/amd64  manifest " + alpine.manifests().get(Platform.LINUX_AMD64).digest())
        .contains("linux/arm/v7  manifest")
        .contains("  layer 1 " + alpine.manifest(Platform.LINUX_ARM64).layers().get(0).digest())
        .contains("application/vnd.oci.image.layer.v1.tar+gzip")
        .containsPattern("1 layer, [0-9.]+ MB compressed");
  }

  @Test
  void rawPrintsTheExactBytes() {
    assertThat(CliRun.of("inspect", "--raw", alpine.ref()).out().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(alpine.root().bytes());
    assertThat(CliRun.of("inspect", "--raw", "--platform", "linux/arm/v7", alpine.ref()).out().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(alpine.manifests().get(Platform.LINUX_ARM_V7).bytes());
  }

  @Test
  void configPrintsOnePlatformsConfig() throws IOException {
    CliRun run = CliRun.of("inspect", "--config", "--platform", "linux/arm64", alpine.ref());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode config = Json.MAPPER.readTree(run.out());
    assertThat(config.get("architecture").asText()).isEqualTo("arm64");
    assertThat(config.get("config").get("Env").get(0).asText()).isEqualTo(AlpineImages.PATH);
  }

  @Test
  void configOfAnIndexWithoutPlatformAsksForOne() {
    CliRun run = CliRun.of("inspect", "--config", alpine.ref());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.error()).contains("has 3 platforms (linux/amd64, linux/arm64/v8, linux/arm/v7); choose one with --platform");
  }

  @Test
  void jsonListsImagesWithLayersAndDiffIds() throws IOException {
    CliRun run = CliRun.of("inspect", "--json", alpine.ref());
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(json.get("digest").asText()).isEqualTo(alpine.root().digest().toString());
    assertThat(json.get("images")).hasSize(3);
    JsonNode amd = json.get("images").get(0);
    assertThat(amd.get("platform").asText()).isEqualTo("linux/amd64");
    assertThat(amd.get("layers").get(0).get("size").asLong())
        .isEqualTo(alpine.manifest(Platform.LINUX_AMD64).layers().get(0).size());
    assertThat(amd.get("diffIds").get(0).asText()).startsWith("sha256:");
  }

  @Test
  void namesAPlatformTheImageLacks() {
    CliRun run = CliRun.of("inspect", "--platform", "linux/ppc64le", alpine.ref());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).contains("has no linux/ppc64le image");
  }

  @Test
  void showsAndCopiesAnArtifactBesideTheImagesOfAnIndex(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("mixed");
    Fixture image = AlpineImages.singlePlatformLayout(dir, "3.15", Platform.LINUX_AMD64);
    byte[] config = "{\"chart\":\"demo\"}".getBytes(StandardCharsets.UTF_8);
    byte[] content = "artifact content".getBytes(StandardCharsets.UTF_8);
    Descriptor configDescriptor = new Descriptor("application/vnd.example.config.v1+json",
        AlpineImages.writeBlob(dir, config), config.length);
    Descriptor layer = new Descriptor("application/vnd.example.data.v1", AlpineImages.writeBlob(dir, content), content.length);
    Blob artifact = new Manifest(MediaTypes.OCI_MANIFEST, configDescriptor, List.of(layer), Map.of()).toBlob();
    AlpineImages.writeBlob(dir, artifact.bytes());
    Blob index = new Index(MediaTypes.OCI_INDEX, List.of(image.root().descriptor().withPlatform(Platform.LINUX_AMD64),
        artifact.descriptor()), Map.of()).toBlob();
    AlpineImages.writeBlob(dir, index.bytes());
    AlpineImages.writeIndexJson(dir, index, "mixed");

    CliRun run = CliRun.of("inspect", "oci:" + dir + ":mixed");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Platforms:   2").contains("(no platform)  manifest " + artifact.digest())
        .contains("application/vnd.example.data.v1");
    CliRun copy = CliRun.of("copy", "-q", "oci:" + dir + ":mixed", "oci:" + tmp.resolve("out") + ":mixed");
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    assertThat(tmp.resolve("out/blobs/sha256/" + layer.digest().hex())).hasBinaryContent(content);
    assertThat(CliRun.of("inspect", "--raw", "oci:" + tmp.resolve("out") + ":mixed").out())
        .isEqualTo(new String(index.bytes(), StandardCharsets.UTF_8));
  }
}
