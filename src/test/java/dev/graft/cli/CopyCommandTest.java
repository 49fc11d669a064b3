package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft copy} end to end through Main.run: output, exit codes, one-line errors. */
class CopyCommandTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  static final Path EXAMPLE = TestData.projectRoot().resolve("testdata/example/oci");

  @Test
  void readmesFirstCommandCopiesTheExampleIntoAnArchive(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("example.tar");
    CliRun run = CliRun.of("copy", "oci:" + EXAMPLE + ":latest", "oci-archive:" + tar);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Copied oci:" + EXAMPLE + ":latest to oci-archive:" + tar + ": sha256:")
        .contains("(index of 2 platforms); 3 blobs copied");
    assertThat(run.err()).contains("copied  sha256:");
    assertThat(tar).isRegularFile();
    String digest = Files.readString(EXAMPLE.resolve("index.json")).replaceAll(".*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
    assertThat(run.out()).contains(digest.strip());
  }

  @Test
  void printsJsonAndNothingOnStderrWhenQuiet(@TempDir Path tmp) throws IOException {
    CliRun run = CliRun.of("copy", "-q", "--json", "--platform", "linux/arm64", "oci:" + EXAMPLE + ":latest",
        "oci:" + tmp.resolve("out") + ":arm64");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(json.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(json.get("manifests").get(0).get("platform").asText()).isEqualTo("linux/arm64/v8");
    assertThat(json.get("blobsCopied").asInt()).isEqualTo(2);
  }

  @Test
  void writingAnOciLayoutLeavesNothingBesideIt(@TempDir Path tmp) throws IOException {
    Path parent = Files.createDirectories(tmp.resolve("parent"));
    Path empty = Files.createDirectories(parent.resolve("empty"));
    for (String to : java.util.List.of("oci:" + parent.resolve("new") + ":amd64", "oci:" + parent.resolve("new") + ":arm64",
        "oci:" + empty + ":amd64")) {
      String platform = to.endsWith("arm64") ? "linux/arm64" : "linux/amd64";
      CliRun run = CliRun.of("copy", "-q", "--platform", platform, "oci:" + EXAMPLE + ":latest", to);
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    try (var s = Files.list(parent)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("new", "empty");
    }
    for (Path layout : java.util.List.of(parent.resolve("new"), empty)) {
      try (var s = Files.list(layout)) {
        assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("oci-layout", "index.json", "blobs");
      }
      assertThat(Files.readString(layout.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    }
    Tools.Result umoci = Tools.runOk(java.time.Duration.ofMinutes(1), "umoci", "ls", "--layout",
        parent.resolve("new").toString());
    assertThat(umoci.stdout().lines()).containsExactlyInAnyOrder("amd64", "arm64");
  }

  @Test
  void pushesToARegistryAndBack(@TempDir Path tmp) {
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.15", Platform.LINUX_ARM_V7);
    String ref = registry.get().hostPort() + "/cli/alpine:3.15";
    CliRun push = CliRun.of("copy", "--insecure-registry", registry.get().hostPort(), alpine.ref(), ref);
    assertThat(push.exitCode()).as(push.err()).isZero();
    CliRun again = CliRun.of("copy", alpine.ref(), ref);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("0 blobs copied (0 B), 2 already present");
    CliRun inspect = CliRun.of("inspect", ref);
    assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    assertThat(inspect.out()).contains("Digest:      " + alpine.root().digest()).contains("linux/arm/v7");
  }

  @Test
  void refusesAnUnknownTransportInOneLineWithExitCode2(@TempDir Path tmp) {
    CliRun run = CliRun.of("copy", "oci:" + EXAMPLE + ":latest", "ocl:" + tmp.resolve("out"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.error()).startsWith("graft: error: unknown transport 'ocl:'");
    assertThat(run.err()).doesNotContain("\tat ").contains("--stacktrace");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void refusesAMissingTagNamingTheTagsThereAre(@TempDir Path tmp) {
    CliRun run = CliRun.of("copy", "oci:" + EXAMPLE + ":v9", "oci:" + tmp.resolve("out"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).isEqualTo("graft: error: oci:" + EXAMPLE + ":v9: no image tagged 'v9' (available tags: latest)");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void refusesAMultiPlatformImageForADockerArchive(@TempDir Path tmp) {
    CliRun run = CliRun.of("copy", "oci:" + EXAMPLE + ":latest", "docker-archive:" + tmp.resolve("d.tar") + ":ex:1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).contains("is multi-platform (linux/amd64, linux/arm64/v8); choose one with --platform");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void refusesAllTogetherWithPlatform(@TempDir Path tmp) {
    CliRun run = CliRun.of("copy", "--all", "--platform", "linux/amd64", "oci:" + EXAMPLE, "oci:" + tmp.resolve("o"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.error()).contains("--all and --platform exclude each other");
  }

  @Test
  void showsTheStackTraceOnlyWhenAsked(@TempDir Path tmp) {
    CliRun run = CliRun.of("copy", "--stacktrace", "oci:" + tmp.resolve("none"), "oci:" + tmp.resolve("o"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).contains("oci:" + tmp.resolve("none") + ": no such directory");
    assertThat(run.err()).contains("\tat ");
  }

  @Test
  void refusesACorruptedBlobInOneLineAndWritesNothing(@TempDir Path tmp) throws IOException {
    Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("src"), "3.15", Platform.LINUX_AMD64);
    Path layer = f.blob(f.manifest(Platform.LINUX_AMD64).layers().get(0).digest());
    byte[] bytes = Files.readAllBytes(layer);
    bytes[100] ^= 0x10;
    Files.write(layer, bytes);
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    CliRun run = CliRun.of("copy", f.ref(), "oci-archive:" + dest.resolve("out.tar"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).startsWith("graft: error: " + f.ref() + ": blob content does not match its digest");
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(dest).isEmptyDirectory();
  }

  @Test
  void helpDescribesTheCommandAndItsRegistryFlags() {
    CliRun run = CliRun.of("copy", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: graft copy").contains("--platform").contains("--insecure-registry")
        .contains("--creds").contains("--registry-cert").contains("--jobs");
  }
}
