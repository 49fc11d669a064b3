package dev.graft.config;

import dev.graft.oci.Healthcheck;
import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GraftConfigTest {
  @TempDir Path dir;

  /** The sketch, improved: what a real project's graft.yaml looks like. */
  static final String SKETCH = """
      base: ghcr.io/home-assistant/{arch}-base:3.15
      builder: node:18-alpine3.16
      platforms: [linux/amd64, linux/arm64, linux/arm/v7]
      layers:
        - recipe: node-runtime
          with: { npm: true }
        - name: deps
          from: builder
          paths: [/build/backend/node_modules]
          to: /app/backend/node_modules
        - { name: app, from: ./backend/dist, to: /app/backend }
        - { name: frontend, from: ./frontend/dist, to: /app/frontend/dist }
      config:
        env: { NODE_ENV: production, PORT: 8099 }
        workdir: /app/backend
        entrypoint: [node, index.js]
        ports: [8099]
        labels: { org.opencontainers.image.source: https://github.com/acme/app }
      to: ghcr.io/acme/hasync
      tags: [1.2.3, latest]
      """;

  @BeforeEach
  void makeLocalDirs() throws Exception {
    Files.createDirectories(dir.resolve("backend/dist"));
    Files.createDirectories(dir.resolve("frontend/dist"));
  }

  BuildPlan plan(String yaml) {
    return GraftConfig.parse("graft.yaml", yaml, dir, Overrides.NONE, Map.of());
  }

  List<String> problems(String yaml) {
    return problems(yaml, Overrides.NONE, Map.of());
  }

  List<String> problems(String yaml, Overrides o, Map<String, String> env) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.parse("graft.yaml", yaml, dir, o, env));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void sketchResolvesOnePlanPerPlatformWithArchSubstituted() {
    BuildPlan plan = plan(SKETCH);
    assertThat(plan.platforms()).extracting(PlatformPlan::platform).containsExactly(
        Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"), Platform.parse("linux/arm/v7"));
    assertThat(plan.platforms()).extracting(p -> p.base().toString()).containsExactly(
        "ghcr.io/home-assistant/amd64-base:3.15",
        "ghcr.io/home-assistant/aarch64-base:3.15",
        "ghcr.io/home-assistant/armv7-base:3.15");
    PlatformPlan arm = plan.platform(Platform.parse("linux/arm64"));
    assertThat(arm.builder()).map(Object::toString).contains("docker.io/library/node:18-alpine3.16");
    assertThat(arm.targets()).isEmpty();
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/hasync"), List.of("1.2.3", "latest")));
    assertThat(plan.epoch()).isEqualTo(BuildPlan.DEFAULT_EPOCH);
    assertThat(plan.format()).isEqualTo(ManifestFormat.OCI);
    assertThat(plan.compression()).isEqualTo(Compression.GZIP);
  }

  @Test
  void conflictsOnARecipeUseAppliesToItsClosureLayers() {
    List<LayerSpec> layers = plan("""
        base: alpine
        builder: node
        layers:
          - recipe: node-runtime
            conflicts: base
          - { name: own, from: builder, paths: [/x], conflicts: builder }
        """).platforms().get(0).layers();
    assertThat(layers).extracting(LayerSpec::conflicts).containsExactly(ClosureConflicts.BASE, ClosureConflicts.BUILDER);
  }

  @Test
  void sketchLayersAreExpandedResolvedAndInOrder() {
    List<LayerSpec> layers = plan(SKETCH).platforms().get(0).layers();
    assertThat(layers).extracting(LayerSpec::name).containsExactly("node-runtime", "deps", "app", "frontend");

    LayerSpec node = layers.get(0);
    assertThat(node.recipe()).contains("node-runtime");
    assertThat(node.source()).isInstanceOf(LayerSource.Builder.class);
    assertThat(node.closure()).isEqualTo(ClosureMode.AUTO);
    assertThat(node.conflicts()).as("the default: only compatible replacements of the base's libraries")
        .isEqualTo(ClosureConflicts.COMPATIBLE);
    assertThat(node.paths()).contains(
        new PathSelector(List.of("/usr/local/bin/node", "/usr/bin/node"), false),
        new PathSelector(List.of("/usr/local/lib/node_modules/npm", "/usr/lib/node_modules/npm"), false));
    assertThat(node.paths()).noneMatch(p -> p.alternatives().contains("/usr/local/bin/corepack"));
    assertThat(node.origin()).isEqualTo(new SourcePos("graft.yaml", 5, 5));

    LayerSpec deps = layers.get(1);
    assertThat(deps.paths()).containsExactly(PathSelector.of("/build/backend/node_modules"));
    assertThat(deps.to()).contains("/app/backend/node_modules");
    assertThat(deps.closure()).as("builder layers carry their ELF closure by default").isEqualTo(ClosureMode.AUTO);

    LayerSpec app = layers.get(2);
    assertThat(app.source()).isEqualTo(new LayerSource.Directory(dir.resolve("backend/dist").toAbsolutePath()));
    assertThat(app.paths()).isEmpty();
    assertThat(app.closure()).isEqualTo(ClosureMode.OFF);
    assertThat(app.to()).contains("/app/backend");
  }

  @Test
  void sketchConfigKeepsOrderAndNormalisesPorts() {
    ImageConfigSpec c = plan(SKETCH).platforms().get(0).config();
    assertThat(c.env()).containsExactly(Map.entry("NODE_ENV", "production"), Map.entry("PORT", "8099"));
    assertThat(c.workdir()).contains("/app/backend");
    assertThat(c.entrypoint()).contains(List.of("node", "index.js"));
    assertThat(c.cmd()).as("not set: the base's cmd is kept").isEmpty();
    assertThat(c.ports()).containsExactly("8099/tcp");
    assertThat(c.labels()).containsEntry("org.opencontainers.image.source", "https://github.com/acme/app");
  }

  @Test
  void minimalFileDefaultsToLinuxAmd64AndNoTargets() {
    BuildPlan plan = plan("base: node:18-alpine\n");
    assertThat(plan.platforms()).singleElement().satisfies(p -> {
      assertThat(p.platform()).isEqualTo(Platform.LINUX_AMD64);
      assertThat(p.layers()).isEmpty();
      assertThat(p.config()).isEqualTo(ImageConfigSpec.EMPTY);
    });
    assertThat(plan.indexTargets()).isEmpty();
  }

  @Test
  void perPlatformBaseMapGivesThePlatforms() {
    BuildPlan plan = plan("""
        base:
          amd64: ghcr.io/home-assistant/amd64-base:3.15
          linux/arm64: ghcr.io/home-assistant/aarch64-base:3.15
          armhf: ghcr.io/home-assistant/armhf-base:3.15
        """);
    assertThat(plan.platforms()).extracting(p -> p.platform().toString())
        .containsExactly("linux/amd64", "linux/arm64/v8", "linux/arm/v6");
    assertThat(plan.platform(Platform.parse("linux/arm/v6")).base().toString())
        .isEqualTo("ghcr.io/home-assistant/armhf-base:3.15");
  }

  @Test
  void archInToMakesOneTargetPerPlatformPlusOptionalIndex() {
    BuildPlan plan = plan("""
        base: ghcr.io/home-assistant/{arch}-base:3.15
        platforms: [aarch64, amd64]
        to: ghcr.io/acme/{arch}-addon-hasync
        index: ghcr.io/acme/addon-hasync
        tags: ["1.0"]
        format: docker
        """);
    assertThat(plan.platform(Platform.LINUX_ARM64).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/aarch64-addon-hasync"), List.of("1.0")));
    assertThat(plan.platform(Platform.LINUX_AMD64).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/amd64-addon-hasync"), List.of("1.0")));
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/addon-hasync"), List.of("1.0")));
    assertThat(plan.format()).isEqualTo(ManifestFormat.DOCKER);
    assertThat(plan.compression()).isEqualTo(Compression.GZIP);
  }

  @Test
  void targetTagWrittenInTheRefComesFirstAndLatestOnlyWhenNothingElse() {
    BuildPlan plan = plan("base: alpine\nto: [ghcr.io/a/b:edge, ghcr.io/a/c, 'oci:out:v1']\n");
    assertThat(plan.indexTargets()).extracting(ImageTarget::tags)
        .containsExactly(List.of("edge"), List.of("latest"), List.of("v1"));
    assertThat(plan.indexTargets().get(2).ref()).isEqualTo(new ImageRef.OciLayout(dir.resolve("out"), "v1"));
  }

  @Test
  void compressionLevelIsTheTopLevelCompressionsAndStaysInItsRange() {
    assertThat(plan("base: alpine\ncompression: zstd\ncompressionLevel: 9\n").compressionLevel()).isEqualTo(9);
    assertThat(plan("base: alpine\n").compressionLevel()).isZero();
    BuildPlan set = GraftConfig.parse("graft.yaml", "base: alpine\ncompression: zstd\n", dir,
        Overrides.fromFlags(List.of(), List.of(), List.of(), null, null, List.of("compressionLevel=19")), Map.of());
    assertThat(set.compressionLevel()).isEqualTo(19);
    assertThat(problems("base: alpine\ncompressionLevel: 12\n"))
        .containsExactly("graft.yaml:2:19: 'compressionLevel' must be a gzip level, 1 to 9, got 12");
    assertThat(problems("base: alpine\ncompression: none\ncompressionLevel: 3\n"))
        .containsExactly("graft.yaml:3:19: 'compressionLevel' needs compression: gzip or zstd");
  }

  @Test
  void theLevelIsGivenOnceAsCompressionLevelOrInCompressionAndTheLastFlagWins() {
    assertThat(plan("base: alpine\ncompression: zstd:9\n").compressionLevel()).isEqualTo(9);
    assertThat(problems("base: alpine\ncompression: zstd:9\ncompressionLevel: 5\n")).containsExactly(
        "graft.yaml:3:19: the level is given twice, by 'compressionLevel' and by 'compression: zstd:9' "
            + "(graft.yaml:2:14): keep one");
    // --compression ALGO:N replaces graft.yaml's compressionLevel; --set compressionLevel=N the level in compression
    BuildPlan flag = GraftConfig.parse("graft.yaml", "base: alpine\ncompression: zstd\ncompressionLevel: 12\n", dir,
        Overrides.fromFlags(List.of(), List.of(), List.of(), null, null, List.of("compression=gzip:4")), Map.of());
    assertThat(flag.compression()).isEqualTo(Compression.GZIP);
    assertThat(flag.compressionLevel()).isEqualTo(4);
    BuildPlan set = GraftConfig.parse("graft.yaml", "base: alpine\ncompression: zstd:9\n", dir,
        Overrides.fromFlags(List.of(), List.of(), List.of(), null, null, List.of("compressionLevel=3")), Map.of());
    assertThat(set.compression()).isEqualTo(Compression.ZSTD);
    assertThat(set.compressionLevel()).isEqualTo(3);
  }

  @Test
  void sourceDateEpochSetsTheEpoch() {
    BuildPlan plan = GraftConfig.parse("graft.yaml", "base: alpine\n", dir, Overrides.NONE,
        Map.of("SOURCE_DATE_EPOCH", "1700000000"));
    assertThat(plan.epoch()).isEqualTo(Instant.ofEpochSecond(1700000000L));
  }

  @Test
  void refusesBadSourceDateEpoch() {
    assertThat(problems("base: alpine\n", Overrides.NONE, Map.of("SOURCE_DATE_EPOCH", "yesterday")))
        .containsExactly("SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 "
            + "(e.g. $(git log -1 --format=%ct)), got 'yesterday'");
  }

  @Test
  void healthcheckStopSignalUserAndVolumesAreRead() {
    ImageConfigSpec c = plan("""
        base: alpine
        config:
          user: 1000
          volumes: [/data]
          stopSignal: SIGINT
          cmd: []
          healthcheck:
            test: [CMD, node, health.js]
            interval: 1m30s
            timeout: 500ms
            retries: 3
        """).platforms().get(0).config();
    assertThat(c.user()).contains("1000");
    assertThat(c.volumes()).containsExactly("/data");
    assertThat(c.stopSignal()).contains("SIGINT");
    assertThat(c.cmd()).as("an empty list clears the base's cmd").contains(List.of());
    assertThat(c.healthcheck()).contains(new Healthcheck(List.of("CMD", "node", "health.js"),
        Optional.of(java.time.Duration.ofSeconds(90)), Optional.of(java.time.Duration.ofMillis(500)),
        Optional.empty(), Optional.of(3)));
  }

  @Test
  void loadsFromAFileAndResolvesLocalDirsAgainstIt() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("project/dist"));
    Path file = dir.resolve("project/graft.yaml");
    Files.writeString(file, "base: alpine\nlayers:\n  - { name: app, from: dist, to: /app }\n");
    BuildPlan plan = GraftConfig.load(file, Overrides.NONE, Map.of());
    assertThat(plan.platforms().get(0).layers().get(0).source())
        .isEqualTo(new LayerSource.Directory(sub.toAbsolutePath()));
  }
}
