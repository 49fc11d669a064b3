package dev.graft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import dev.graft.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Home Assistant app in the 2026 layout (config.yaml, Dockerfile, rootfs/, graft.yaml) read into a plan. */
class AppReaderTest {
  @TempDir Path app;

  static final String CONFIG = """
      name: Example app
      version: "1.3.1"
      slug: example
      description: Example app
      url: "https://github.com/acme/apps/tree/main/example"
      arch:
        - aarch64
        - amd64
      init: false
      image: "ghcr.io/acme/app-example"
      """;

  static final String DOCKERFILE = """
      # https://developers.home-assistant.io/docs/apps/configuration#app-dockerfile
      ARG BUILD_FROM=ghcr.io/home-assistant/base:3.23
      FROM ${BUILD_FROM}

      # Copy root filesystem
      COPY rootfs /

      LABEL \\
          org.opencontainers.image.title="Home Assistant App: Example app" \\
          org.opencontainers.image.licenses="Apache License 2.0"
      """;

  @BeforeEach
  void layout() throws Exception {
    Files.writeString(app.resolve("config.yaml"), CONFIG);
    Files.writeString(app.resolve("Dockerfile"), DOCKERFILE);
    Files.createDirectories(app.resolve("rootfs/etc/services.d/example"));
    Files.writeString(app.resolve("rootfs/etc/services.d/example/run"), "#!/usr/bin/with-contenv bashio\n");
  }

  BuildPlan read(Overrides o, Map<String, String> env) {
    return AddonReader.read(app, o, env);
  }

  BuildPlan read() {
    return read(Overrides.NONE, Map.of("SOURCE_DATE_EPOCH", "1700000000"));
  }

  static Overrides flags(List<String> to, List<String> tags, List<String> platforms, List<String> sets) {
    return Overrides.fromFlags(to, tags, platforms, null, null, sets);
  }

  List<String> problems(Overrides o) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(o, Map.of()));
    assertThat(e).as("a config problem").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void anAppWrittenAsTheAppsExampleIsReadWithNothingElse() {
    BuildPlan plan = read();
    assertThat(plan.platforms()).extracting(PlatformPlan::platform).containsExactly(Platform.LINUX_ARM64,
        Platform.LINUX_AMD64);
    PlatformPlan arm = plan.platform(Platform.LINUX_ARM64);
    assertThat(arm.base().toString()).isEqualTo("ghcr.io/home-assistant/base:3.23");
    assertThat(arm.targets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/aarch64-app-example"), List.of("1.3.1")));
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/app-example"), List.of("1.3.1")));
    assertThat(arm.layers()).singleElement().satisfies(l -> {
      assertThat(l.name()).isEqualTo("rootfs");
      assertThat(l.source()).isEqualTo(new LayerSource.Directory(app.resolve("rootfs").toAbsolutePath().normalize()));
      assertThat(l.to()).contains("/");
      assertThat(l.closure()).isEqualTo(ClosureMode.OFF);
      assertThat(l.origin().toString()).isEqualTo(app + "/Dockerfile:6");
    });
    assertThat(plan.compression()).isEqualTo(Compression.ZSTD);
    assertThat(plan.compressionLevel()).isEqualTo(9);
    assertThat(plan.format()).isEqualTo(ManifestFormat.OCI);
  }

  @Test
  void labelsAreWhatHomeAssistantsWorkflowAndBuilderActionSetAroundTheDockerfiles() {
    Map<String, String> labels = read().platform(Platform.LINUX_AMD64).config().labels();
    assertThat(labels).containsEntry("io.hass.type", "app")
        .containsEntry("io.hass.name", "Example app")
        .containsEntry("io.hass.description", "Example app")
        .containsEntry("io.hass.url", "https://github.com/acme/apps/tree/main/example")
        .containsEntry("io.hass.arch", "amd64")
        .containsEntry("io.hass.version", "1.3.1")
        .containsEntry("org.opencontainers.image.created", "2023-11-14T22:13:20Z")
        .containsEntry("org.opencontainers.image.version", "1.3.1")
        .as("the Dockerfile's LABEL wins over graft's title from config.yaml")
        .containsEntry("org.opencontainers.image.title", "Home Assistant App: Example app")
        .containsEntry("org.opencontainers.image.licenses", "Apache License 2.0")
        .containsEntry("org.opencontainers.image.source", "https://github.com/acme/apps/tree/main/example");
    Map<String, String> inActions = read(Overrides.NONE, Map.of("GITHUB_REPOSITORY", "acme/apps",
        "GITHUB_SERVER_URL", "https://github.com")).platform(Platform.LINUX_AMD64).config().labels();
    assertThat(inActions).as("as the builder action sets it").containsEntry("org.opencontainers.image.source",
        "https://github.com/acme/apps");
  }

  @Test
  void aDockerfileThatSaysAddonIsPublishedAsAnAppWithANote() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), DOCKERFILE + "LABEL io.hass.type=\"addon\"\n");
    BuildPlan plan = read();
    assertThat(plan.platform(Platform.LINUX_AMD64).config().labels()).containsEntry("io.hass.type", "app");
    assertThat(plan.notes()).contains(app + "/Dockerfile:11: LABEL io.hass.type=\"addon\": graft labels the image "
        + "io.hass.type=app, as Home Assistant's app workflow does (set config.labels.io.hass.type in graft.yaml to "
        + "keep addon)");
  }

  @Test
  void buildArgsAndHomeAssistantsBuildArchChooseThePerArchBase() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), "ARG BUILD_ARCH\nARG BASE_VERSION=3.15\n"
        + "FROM ghcr.io/home-assistant/${BUILD_ARCH}-base:${BASE_VERSION}\nARG BUILD_VERSION\n"
        + "ENV APP_VERSION=${BUILD_VERSION}\n");
    BuildPlan plan = read(flags(List.of(), List.of(), List.of(), List.of()), Map.of());
    assertThat(plan.platform(Platform.LINUX_ARM64).base().toString()).isEqualTo("ghcr.io/home-assistant/aarch64-base:3.15");
    assertThat(plan.platform(Platform.LINUX_AMD64).base().toString()).isEqualTo("ghcr.io/home-assistant/amd64-base:3.15");
    assertThat(plan.platform(Platform.LINUX_AMD64).config().env()).containsEntry("APP_VERSION", "1.3.1");
    Overrides arg = Overrides.fromFlags(List.of(), List.of(), List.of(), null, null,
        List.of()).over(new Overrides(List.of(), List.of(), List.of(), null, null,
            List.of(new Overrides.Setting("dockerfile.args.BASE_VERSION=3.16", "--build-arg BASE_VERSION=3.16"))));
    assertThat(read(arg, Map.of()).platform(Platform.LINUX_ARM64).base().toString())
        .isEqualTo("ghcr.io/home-assistant/aarch64-base:3.16");
  }

  @Test
  void runIsRefusedAtItsLineBeforeAnyNetworkCall() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), DOCKERFILE + "RUN apk add --no-cache nodejs npm\n");
    List<String> p = problems(Overrides.NONE);
    assertThat(p).singleElement().asString()
        .startsWith(app + "/Dockerfile:11: RUN cannot be honoured: graft runs no commands (it never starts a container).")
        .endsWith("dockerfile: {ignore: [\"RUN apk add *\"]}");
  }

  @Test
  void graftYamlTakesOverRunLinesAddsItsLayersFirstAndReplacesACopyByName() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), DOCKERFILE + "RUN apk add --no-cache nodejs npm\nCOPY run.sh /usr/bin/\n"
        + "ENV PATH=\"/app/bin:$PATH\"\n");
    Files.writeString(app.resolve("run.sh"), "#!/bin/sh\n");
    Files.createDirectories(app.resolve("dist"));
    Files.writeString(app.resolve("graft.yaml"), """
        builder: node:22-alpine
        dockerfile:
          ignore: ["RUN apk add *"]
        layers:
          - recipe: node-runtime
          - { name: rootfs, from: ./dist, to: /srv }
        config:
          env: { NODE_ENV: production }
        """);
    BuildPlan plan = read();
    PlatformPlan amd = plan.platform(Platform.LINUX_AMD64);
    assertThat(amd.layers()).extracting(LayerSpec::name).containsExactly("node-runtime", "rootfs", "run.sh");
    assertThat(amd.layers().get(1).to()).as("graft.yaml's rootfs replaced the Dockerfile's").contains("/srv");
    assertThat(amd.layers().get(2).to()).contains("/usr/bin/run.sh");
    assertThat(amd.config().env()).containsEntry("NODE_ENV", "production").containsEntry("PATH", "/app/bin:${PATH}");
    assertThat(amd.config().expandEnv()).containsExactly("PATH");
    assertThat(plan.notes()).contains(app + "/Dockerfile:11: RUN apk add --no-cache nodejs npm skipped: graft.yaml's "
        + "dockerfile.ignore 'RUN apk add *' takes it over");
  }

  @Test
  void anUnsetBuildFromSaysWhatToDoAndGraftYamlsBaseIsEnough() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), "ARG BUILD_FROM\nFROM $BUILD_FROM\nCOPY rootfs /\n");
    assertThat(problems(Overrides.NONE)).containsExactly(app + "/Dockerfile:2: FROM $BUILD_FROM names no image for "
        + "linux/arm64/v8: BUILD_FROM has no value. Since Supervisor 2026.04.0 nothing passes BUILD_FROM any more: give "
        + "it a default (ARG BUILD_FROM=ghcr.io/home-assistant/base:3.23), pass --build-arg BUILD_FROM=IMAGE, or set "
        + "base: in graft.yaml",
        app + "/Dockerfile:2: FROM $BUILD_FROM names no image for linux/amd64: BUILD_FROM has no value. Since "
            + "Supervisor 2026.04.0 nothing passes BUILD_FROM any more: give it a default (ARG BUILD_FROM=ghcr.io/"
            + "home-assistant/base:3.23), pass --build-arg BUILD_FROM=IMAGE, or set base: in graft.yaml");
    Files.writeString(app.resolve("graft.yaml"), "base: ghcr.io/home-assistant/base:3.22\n");
    assertThat(read().platform(Platform.LINUX_AMD64).base().toString()).isEqualTo("ghcr.io/home-assistant/base:3.22");
  }

  @Test
  void toNamesTheAppLikeImageAndTagsAddToTheVersion() {
    BuildPlan plan = read(flags(List.of("localhost:5000/acme/app-example"), List.of("latest"), List.of(), List.of()),
        Map.of());
    assertThat(plan.platform(Platform.LINUX_AMD64).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("localhost:5000/acme/amd64-app-example"), List.of("1.3.1", "latest")));
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("localhost:5000/acme/app-example"), List.of("1.3.1", "latest")));
    BuildPlan archive = read(flags(List.of("oci-archive:/tmp/app.tar"), List.of(), List.of(), List.of()), Map.of());
    assertThat(archive.platform(Platform.LINUX_AMD64).targets()).isEmpty();
    assertThat(archive.indexTargets()).extracting(t -> t.ref().toString()).containsExactly("oci-archive:/tmp/app.tar");
  }

  @Test
  void theLegacyArchFormOfImageStillWorksAndGivesTheGenericIndexToo() throws Exception {
    Files.writeString(app.resolve("config.yaml"), CONFIG.replace("ghcr.io/acme/app-example", "ghcr.io/acme/{arch}-app-example"));
    BuildPlan plan = read();
    assertThat(plan.platform(Platform.LINUX_ARM64).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/aarch64-app-example"), List.of("1.3.1")));
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/app-example"), List.of("1.3.1")));
  }

  @Test
  void compressionCanBeChosenInGraftYamlOrByFlag() throws Exception {
    Files.writeString(app.resolve("graft.yaml"), "compression: gzip:9\n");
    assertThat(read().compression()).isEqualTo(Compression.GZIP);
    assertThat(read().compressionLevel()).isEqualTo(9);
    BuildPlan flagged = read(new Overrides(List.of(), List.of(), List.of(), null, null,
        List.of(new Overrides.Setting("compression=zstd:19", "--compression zstd:19"))), Map.of());
    assertThat(flagged.compressionLevel()).isEqualTo(19);
    Files.writeString(app.resolve("graft.yaml"), "compression: zstd:30\n");
    assertThat(problems(Overrides.NONE)).containsExactly(app + "/graft.yaml:1:14: 'compression' level must be 1..19 for "
        + "zstd (e.g. zstd:9), got '30'");
  }

  @Test
  void dockerFormatKeepsGzip() throws Exception {
    Files.writeString(app.resolve("graft.yaml"), "format: docker\n");
    assertThat(read().compression()).isEqualTo(Compression.GZIP);
  }

  @Test
  void droppedArchesAreLeftOutWithANoteAndAnAppWithNoneLeftIsRefused() throws Exception {
    Files.writeString(app.resolve("config.yaml"), CONFIG.replace("  - amd64\n", "  - amd64\n  - armv7\n"));
    BuildPlan plan = read();
    assertThat(plan.platforms()).hasSize(2);
    assertThat(plan.notes()).contains(app + "/config.yaml:7:3: not building armv7: Home Assistant dropped it in late "
        + "2025 (build it anyway with --platform armv7)");
    Files.writeString(app.resolve("config.yaml"), CONFIG.replace("  - aarch64\n  - amd64\n", "  - armv7\n"));
    assertThat(problems(Overrides.NONE)).containsExactly(app + "/config.yaml:7:3: the app's arch list (armv7) has none "
        + "of the arches Home Assistant still supports (amd64, aarch64; armhf, armv7 and i386 were dropped in late "
        + "2025): add them, or build the old ones anyway with --platform armv7");
  }

  @Test
  void theCreationTimeIsTheLastGitCommitOfTheAppWhenSourceDateEpochIsUnset() throws Exception {
    Tools.require("git");
    String sh = "cd '" + app + "' && git init -q && git add -A && GIT_COMMITTER_DATE='2026-03-01T10:00:00Z' "
        + "git -c user.name=t -c user.email=t@t -c commit.gpgsign=false commit -q -m app";
    Tools.runOk(Duration.ofSeconds(30), "sh", "-c", sh);
    BuildPlan plan = read(Overrides.NONE, Map.of());
    assertThat(plan.epoch().toString()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(plan.platform(Platform.LINUX_AMD64).config().labels())
        .containsEntry("org.opencontainers.image.created", "2026-03-01T10:00:00Z");
    assertThat(read(Overrides.NONE, Map.of("SOURCE_DATE_EPOCH", "1")).epoch().getEpochSecond()).isEqualTo(1);
  }

  @Test
  void outsideGitTheFixedDefaultHolds() {
    assertThat(read(Overrides.NONE, Map.of()).epoch()).isEqualTo(BuildPlan.DEFAULT_EPOCH);
  }

  @Test
  void dockerignoreLeavesFilesOutOfCopiedDirectories() throws Exception {
    Files.writeString(app.resolve(".dockerignore"), "# comment\n**/*.md\nrootfs/etc/secret\n/node_modules\n");
    Layers l = new Layers(read().platform(Platform.LINUX_AMD64).layers());
    assertThat(l.only().excludes()).containsExactly("**/*.md", "etc/secret");
    Files.writeString(app.resolve(".dockerignore"), "!keep\n");
    assertThat(problems(Overrides.NONE)).containsExactly(app + "/.dockerignore:1: exceptions ('!keep') are not "
        + "supported by graft yet: list what to leave out instead");
  }

  private record Layers(List<LayerSpec> all) {
    LayerSpec only() {
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  @Test
  void copyFlagsReachTheLayerSource() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), DOCKERFILE + "COPY --chmod=755 --chown=1000:1000 rootfs/etc /etc/app\n");
    LayerSpec l = read().platform(Platform.LINUX_AMD64).layers().get(1);
    assertThat(l.source()).isEqualTo(new LayerSource.Directory(app.resolve("rootfs/etc").toAbsolutePath().normalize(),
        Optional.of("755"), Optional.of("1000:1000")));
    assertThat(l.name()).isEqualTo("rootfs-etc");
  }

  @Test
  void copyFromAnImageStageMakesItTheBuilderAndAConflictingBuilderIsNamed() throws Exception {
    Files.writeString(app.resolve("Dockerfile"), "FROM node:22-alpine AS node\nFROM ghcr.io/home-assistant/base:3.23\n"
        + "COPY --from=node /usr/local/bin/node /usr/local/bin/\n");
    PlatformPlan amd = read().platform(Platform.LINUX_AMD64);
    assertThat(amd.builder()).map(Object::toString).contains("docker.io/library/node:22-alpine");
    assertThat(amd.layers()).singleElement().satisfies(x -> {
      assertThat(x.source()).isEqualTo(new LayerSource.Builder());
      assertThat(x.to()).contains("/usr/local/bin/");
      assertThat(x.paths()).containsExactly(PathSelector.of("/usr/local/bin/node"));
    });
    Files.writeString(app.resolve("graft.yaml"), "builder: node:20-bookworm\n");
    assertThat(problems(Overrides.NONE)).first().asString().isEqualTo(app + "/Dockerfile:3: COPY --from=node:22-alpine: "
        + "graft takes files from one builder image, and graft.yaml's builder is docker.io/library/node:20-bookworm; "
        + "take these files from that image too, or from the base");
  }

  @Test
  void unusedIgnorePatternsAndBuildArgsAreNoted() throws Exception {
    Files.writeString(app.resolve("graft.yaml"), "dockerfile:\n  args: { NODE: '22' }\n  ignore: [\"RUN pip *\"]\n");
    BuildPlan plan = read();
    assertThat(plan.notes()).contains(app + "/graft.yaml:3:11: dockerfile.ignore 'RUN pip *' matches no instruction of "
        + app + "/Dockerfile", "build argument NODE is not used: " + app + "/Dockerfile declares no ARG NODE");
  }

  @Test
  void aDockerfileKeyInAPlainGraftYamlIsRefused() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> GraftConfig.parse("graft.yaml",
        "base: alpine\ndockerfile: { file: Dockerfile }\n", app, Overrides.NONE, Map.of()));
    assertThat(e.getMessage()).isEqualTo("graft.yaml:2:1: 'dockerfile' is read only for a Home Assistant app: graft "
        + "build --addon DIR (the app directory holds its Dockerfile and this graft.yaml)");
  }
}
