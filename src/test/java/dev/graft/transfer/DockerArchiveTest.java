package dev.graft.transfer;

import static dev.graft.transfer.LocalRoundTripTest.copy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.Json;
import dev.graft.oci.Manifest;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-archive output: a docker-save tar that skopeo reads and podman loads. */
class DockerArchiveTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  static Path shared;

  static Fixture alpine;

  @BeforeAll
  static void buildFixture() {
    alpine = AlpineImages.layout(shared.resolve("alpine"), "3.16");
  }

  @Test
  void writesManifestJsonWithConfigRepoTagsAndLayers(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("app.tar");
    copy(alpine.ref(), "docker-archive:" + tar + ":app:1.0", Optional.of(Platform.LINUX_ARM64));
    Path x = tmp.resolve("x");
    Files.createDirectories(x);
    Tools.runOk(TOOL_TIMEOUT, "tar", "-xf", tar.toString(), "-C", x.toString());
    JsonNode entries = Json.MAPPER.readTree(Files.readAllBytes(x.resolve("manifest.json")));
    assertThat(entries).hasSize(1);
    JsonNode e = entries.get(0);
    Manifest m = alpine.manifest(Platform.LINUX_ARM64);
    assertThat(e.get("Config").asText()).isEqualTo("blobs/sha256/" + m.config().digest().hex());
    assertThat(e.get("RepoTags").get(0).asText()).isEqualTo("app:1.0");
    assertThat(e.get("Layers")).hasSize(1);
    assertThat(x.resolve(e.get("Layers").get(0).asText())).hasSameBinaryContentAs(alpine.blob(m.layers().get(0).digest()));
    assertThat(x.resolve(e.get("Config").asText())).hasSameBinaryContentAs(alpine.blob(m.config().digest()));
  }

  @Test
  void skopeoReadsTheDockerArchive(@TempDir Path tmp) throws IOException {
    Tools.require("skopeo");
    Path tar = tmp.resolve("app.tar");
    copy(alpine.ref(), "docker-archive:" + tar + ":app:1.0", Optional.of(Platform.LINUX_ARM_V7));
    JsonNode info = Json.MAPPER.readTree(
        Tools.runOk(TOOL_TIMEOUT, "skopeo", "inspect", "docker-archive:" + tar).stdout());
    assertThat(info.get("Architecture").asText()).isEqualTo("arm");
    // A docker-save tar names layers by diffID (the uncompressed tar's digest), as the config does.
    ImageConfig config = alpine.config(Platform.LINUX_ARM_V7);
    assertThat(info.get("Layers").get(0).asText()).isEqualTo(config.diffIds().get(0).toString());
    assertThat(info.get("Digest").asText()).startsWith("sha256:");
  }

  @Test
  void podmanLoadsTheDockerArchiveUnderItsName(@TempDir Path tmp) throws IOException {
    Tools.require("podman");
    Path tar = tmp.resolve("app.tar");
    copy(alpine.ref(), "docker-archive:" + tar + ":graft-test/app:1.0", Optional.of(Platform.LINUX_AMD64));
    // A private store, so the test leaves the host's podman images alone.
    String[] podman = {"podman", "--root", tmp.resolve("root").toString(), "--runroot", tmp.resolve("run").toString(),
        "--storage-driver", "vfs"};
    Tools.runOk(TOOL_TIMEOUT, concat(podman, "load", "-i", tar.toString()));
    String id = Tools.runOk(TOOL_TIMEOUT, concat(podman, "image", "inspect", "--format", "{{.Id}} {{.Architecture}}",
        "docker.io/graft-test/app:1.0")).stdout().strip();
    Manifest m = alpine.manifest(Platform.LINUX_AMD64);
    assertThat(id).isEqualTo(m.config().digest().hex() + " amd64");
    Tools.run(TOOL_TIMEOUT, concat(podman, "rmi", "-a", "-f"));
  }

  @Test
  void refusesAMultiPlatformImageWithoutPlatformAndWritesNothing(@TempDir Path tmp) {
    Path tar = tmp.resolve("app.tar");
    assertThatThrownBy(() -> copy(alpine.ref(), "docker-archive:" + tar + ":app:1.0", Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("linux/amd64, linux/arm64/v8, linux/arm/v7")
        .hasMessageContaining("--platform");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void archiveBytesAreReproducible(@TempDir Path tmp) throws IOException {
    copy(alpine.ref(), "docker-archive:" + tmp.resolve("a.tar") + ":app", Optional.of(Platform.LINUX_AMD64));
    copy(alpine.ref(), "docker-archive:" + tmp.resolve("b.tar") + ":app", Optional.of(Platform.LINUX_AMD64));
    assertThat(tmp.resolve("a.tar")).hasSameBinaryContentAs(tmp.resolve("b.tar"));
    String manifestJson = Tools.runOk(TOOL_TIMEOUT, "tar", "-xOf", tmp.resolve("a.tar").toString(), "manifest.json").stdout();
    assertThat(manifestJson).contains("\"RepoTags\":[\"app:latest\"]");
    assertThat(new String(Files.readAllBytes(tmp.resolve("a.tar")), StandardCharsets.ISO_8859_1)).contains("oci-layout");
  }

  @Test
  void readsBackItsOwnDockerArchiveWithTheSameConfigAndLayers(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("app.tar");
    copy(alpine.ref(), "docker-archive:" + tar + ":app:1.0", Optional.of(Platform.LINUX_ARM64));
    CopyResult r = copy("docker-archive:" + tar + ":app:1.0", "oci:" + tmp.resolve("back") + ":x", Optional.empty());
    Manifest original = alpine.manifest(Platform.LINUX_ARM64);
    Manifest back = Manifest.parse(LocalRoundTripTest.root("oci:" + tmp.resolve("back") + ":x"));
    assertThat(back.config().digest()).isEqualTo(original.config().digest());
    assertThat(back.layers()).isEqualTo(original.layers());
    assertThat(r.manifests()).singleElement().extracting(PlatformManifest::platform).isEqualTo(Platform.LINUX_ARM64);
    // The made-up manifest is stable: reading the archive again gives the same digest.
    assertThat(LocalRoundTripTest.root("docker-archive:" + tar).digest()).isEqualTo(r.rootDigest());
  }

  @Test
  void readsADockerArchiveThatSkopeoWrote(@TempDir Path tmp) throws IOException {
    Tools.require("skopeo");
    Tools.require("umoci");
    Path tar = tmp.resolve("skopeo.tar");
    Fixture single = AlpineImages.singlePlatformLayout(tmp.resolve("single"), "3.15", Platform.LINUX_AMD64);
    Tools.runOk(TOOL_TIMEOUT, "skopeo", "copy", single.ref(), "docker-archive:" + tar + ":skopeo/alpine:3.15");
    copy("docker-archive:" + tar + ":skopeo/alpine:3.15", "oci:" + tmp.resolve("out") + ":x", Optional.empty());
    Tools.runOk(TOOL_TIMEOUT, "umoci", "unpack", "--image", tmp.resolve("out") + ":x", tmp.resolve("bundle").toString());
    assertThat(tmp.resolve("bundle/rootfs/etc/alpine-release")).content().startsWith("3.15");
    Tools.runOk(TOOL_TIMEOUT, "rm", "-rf", tmp.resolve("bundle").toString());
  }

  @Test
  void refusesAnUnknownNameInADockerArchiveListingItsTags(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("app.tar");
    copy(alpine.ref(), "docker-archive:" + tar + ":app:1.0", Optional.of(Platform.LINUX_ARM64));
    assertThatThrownBy(() -> LocalRoundTripTest.root("docker-archive:" + tar + ":app:2.0"))
        .isInstanceOf(OciFormatException.class)
        .hasMessageEndingWith("no image tagged 'app:2.0' (tags: app:1.0)");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
