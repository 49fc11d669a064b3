package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.Manifest;
import dev.graft.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One platform's build, all phases wired as {@link Builder} runs them, on real images (Alpine 3.18
 * as builder, 3.16 as base) and a real local directory: the phases in their order, the image they
 * make, a rebuild that changes nothing giving the same bytes from the caches without reading the
 * builder, and a failure that names its step and leaves no spooled files behind.
 */
class PlatformBuildTest {
  @TempDir
  static Path images;

  private static final String LAYERS = """
      - { name: apk, from: builder, paths: [/sbin/apk], conflicts: builder }
      - { name: app, from: ./app, to: /app }
      - { name: release, from: base, paths: [/etc/alpine-release], to: /app/base-release }
      """;

  private static PhaseFixture project(Path tmp, String layers) throws Exception {
    Path dir = tmp.resolve("project");
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/main.sh"), "#!/bin/sh\nexec /sbin/apk --version\n");
    return PhaseFixture.of(images, dir, tmp.resolve("cache"), Platform.LINUX_AMD64, layers,
        "entrypoint: [/sbin/apk]");
  }

  @Test
  void thePhasesRunInOrderAndARebuildGivesTheSameImageFromTheCaches(@TempDir Path tmp) throws Exception {
    AssembledImage first;
    try (PhaseFixture f = project(tmp, LAYERS)) {
      first = f.platformBuild(VerifyMode.STRICT).run();
      List<String> steps = f.listener.steps();
      assertThat(steps).containsSubsequence("resolve base", "resolve builder", "read base",
          "select files of layer 'app' (graft.yaml:6:5)", "select files of layer 'apk' (graft.yaml:5:5)",
          "select files of layer 'release' (graft.yaml:7:5)", "verify", "compose config");
      assertThat(steps).contains("read builder", "write layer 'apk' (graft.yaml:5:5)",
          "write layer 'app' (graft.yaml:6:5)", "write layer 'release' (graft.yaml:7:5)");
    }
    assertThat(first.platform()).isEqualTo(Platform.LINUX_AMD64);
    assertThat(first.added()).extracting(AddedLayer::name).containsExactly("apk", "app", "release");
    assertThat(first.added()).extracting(AddedLayer::source).containsExactly("builder", "local directory app", "base");
    assertThat(first.added()).noneMatch(AddedLayer::cached);
    assertThat(first.report()).hasValueSatisfying(r -> {
      assertThat(r.hasErrors()).as(r.render()).isFalse();
      assertThat(r.findings()).anyMatch(x -> x.code().startsWith("CLOSURE_")); // selection's notes joined
    });
    // the manifest lists the base's layers, then graft's, under the config whose diff_ids match
    Manifest manifest = Manifest.parse(first.manifest());
    ImageConfig config = ImageConfig.parse(first.config());
    int baseLayers = first.base().manifest().layers().size();
    assertThat(manifest.config().digest()).isEqualTo(first.config().digest());
    assertThat(manifest.layers()).hasSize(baseLayers + 3);
    assertThat(manifest.layers().subList(baseLayers, baseLayers + 3)).extracting(Descriptor::digest)
        .containsExactlyElementsOf(first.added().stream().map(a -> a.layer().digest()).toList());
    assertThat(config.diffIds().subList(baseLayers, baseLayers + 3))
        .containsExactlyElementsOf(first.added().stream().map(a -> a.layer().diffId()).toList());
    assertThat(config.entrypoint()).containsExactly("/sbin/apk");
    // the history names the directory, never where it is on this host
    String json = new String(first.config().bytes(), StandardCharsets.UTF_8);
    assertThat(json).contains("local directory app").doesNotContain(tmp.toString());

    try (PhaseFixture f = project(tmp, LAYERS)) {
      AssembledImage again = f.platformBuild(VerifyMode.STRICT).run();
      assertThat(again.manifest().digest()).isEqualTo(first.manifest().digest());
      assertThat(again.config().digest()).isEqualTo(first.config().digest());
      assertThat(again.added()).allMatch(AddedLayer::cached);
      assertThat(f.listener.steps()).doesNotContain("read builder")
          .contains("verify: reusing the report of an earlier build");
    }
  }

  @Test
  void withVerificationOffThereIsNoReportAndTheImageIsTheSame(@TempDir Path tmp) throws Exception {
    AssembledImage verified;
    try (PhaseFixture f = project(tmp, LAYERS)) {
      verified = f.platformBuild(VerifyMode.STRICT).run();
    }
    try (PhaseFixture f = project(tmp, LAYERS)) {
      AssembledImage unverified = f.platformBuild(VerifyMode.OFF).run();
      assertThat(unverified.report()).isEmpty();
      assertThat(f.listener.steps()).noneMatch(s -> s.startsWith("verify"));
      assertThat(unverified.manifest().digest()).isEqualTo(verified.manifest().digest());
    }
  }

  @Test
  void aFailureNamesItsStepAndLeavesNoSpooledFiles(@TempDir Path tmp) throws Exception {
    String layers = LAYERS + "- { name: tool, from: builder, paths: [/usr/bin/no-such-tool] }\n";
    try (PhaseFixture f = project(tmp, layers)) {
      PlatformBuild build = f.platformBuild(VerifyMode.STRICT);
      assertThatThrownBy(build::run).isInstanceOf(BuildException.class)
          .hasMessageStartingWith("failed to select files of layer 'tool' (graft.yaml:8:5) for linux/amd64: ")
          .hasMessageContaining("/usr/bin/no-such-tool");
      Path spool = f.cacheDir.resolveSibling("work").resolve("spool");
      try (Stream<Path> left = Files.walk(spool)) {
        assertThat(left.filter(Files::isRegularFile)).isEmpty();
      }
    }
  }
}
