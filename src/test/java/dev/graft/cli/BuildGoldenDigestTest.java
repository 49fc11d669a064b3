package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.testing.AlpineImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden digests of a whole build: the image graft builds from fixed inputs (the shared Alpine
 * minirootfs tarballs as base and builder, a local directory with fixed content and modes) depends
 * on nothing else — not the cache, the thread count or the code's shape. Covers every layer
 * source (builder with {@code closure: auto} against a different base musl, base, local
 * directory), both compressions and three platforms. If an intended format change moves these
 * digests, update the constants in the same commit and say so.
 */
class BuildGoldenDigestTest {
  static final String INDEX = "sha256:474fb8d306e7d3883ff1a42ed3ab483cad0c955dae03b94fe9baecb12aeec516";
  // The untagged archive's index.json names its image "latest" since issue #17 (image and index
  // digests unchanged; the archive's bytes moved with that annotation).
  static final String ARCHIVE = "31d81f95bb31e7f1200ff9a63eda0b46874e1093912f583fd8b8fde24a25cbb4";
  static final String DOCKER_ARCHIVE = "bb1f3bfffbb5e32b160372832ed3dd58bf0ca62c79910e4afb7619afc5649f74";

  @TempDir
  static Path shared;

  static Path project;

  @BeforeAll
  static void project() throws IOException {
    Path base = shared.resolve("base");
    Path builder = shared.resolve("builder");
    AlpineImages.layout(base, "3.16");
    AlpineImages.layout(builder, "3.18");
    project = shared.resolve("project");
    Path app = project.resolve("app");
    Files.createDirectories(app.resolve("lib"));
    Files.writeString(app.resolve("main.sh"), "#!/bin/sh\nexec /sbin/apk --version\n");
    Files.writeString(app.resolve("lib/data.txt"), "golden\n");
    Files.setPosixFilePermissions(app.resolve("main.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(app.resolve("lib/data.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(app.resolve("lib"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(project.resolve("graft.yaml"), """
        base: oci:%s:3.16
        builder: oci:%s:3.18
        platforms: [linux/amd64, linux/arm64, linux/arm/v7]
        layers:
          - { name: apk, from: builder, paths: [/sbin/apk], conflicts: builder }
          - { name: release, from: base, paths: [/etc/alpine-release], to: /app/base-release }
          - { name: app, from: ./app, to: /app, compression: zstd }
        config:
          env: { GOLDEN: "1" }
          workdir: /app
          entrypoint: [/app/main.sh]
          labels: { org.opencontainers.image.title: golden }
        """.formatted(base, builder));
  }

  static CliRun build(Path cache, String target, String... more) {
    List<String> args = new ArrayList<>(List.of("build", "-f", project.resolve("graft.yaml").toString(),
        "--cache-dir", cache.toString(), "--to", target, "--json", "-q"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void aBuildFromFixedInputsHasItsGoldenDigestsColdAndWarm(@TempDir Path tmp) throws IOException {
    Path cache = tmp.resolve("cache");
    for (String run : List.of("cold", "warm")) {
      Path target = tmp.resolve(run + ".tar");
      CliRun r = build(cache, "oci-archive:" + target);
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode result = Json.MAPPER.readTree(r.out());
      assertThat(result.get("indexDigest").asText()).as(run).isEqualTo(INDEX);
      assertThat(Digest.sha256(Files.readAllBytes(target)).hex()).as(run).isEqualTo(ARCHIVE);
    }
  }

  @Test
  void aDockerArchiveOfOnePlatformHasItsGoldenDigest(@TempDir Path tmp) throws IOException {
    Path target = tmp.resolve("docker.tar");
    CliRun r = build(tmp.resolve("cache"), "docker-archive:" + target + ":golden:1", "--platform", "linux/arm/v7");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Digest.sha256(Files.readAllBytes(target)).hex()).isEqualTo(DOCKER_ARCHIVE);
  }
}
