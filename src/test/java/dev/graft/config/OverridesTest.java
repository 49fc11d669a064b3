package dev.graft.config;

import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Flags override the environment, which overrides the file; overridden values are checked like the file's. */
class OverridesTest {
  @TempDir Path dir;

  static final String FILE = """
      base: node:18-alpine
      builder: node:18-alpine
      platforms: [linux/amd64]
      layers:
        - recipe: node-runtime
      config:
        env: { NODE_ENV: production }
        workdir: /app
      to: ghcr.io/acme/app
      tags: [dev]
      """;

  BuildPlan plan(Overrides o, Map<String, String> env) {
    return GraftConfig.parse("graft.yaml", FILE, dir, o, env);
  }

  static Overrides flags(List<String> to, List<String> tags, List<String> platforms, String base, List<String> sets) {
    return Overrides.fromFlags(to, tags, platforms, base, null, sets);
  }

  List<String> problems(Overrides o) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.parse("graft.yaml", FILE, dir, o, Map.of()));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void flagsReplaceTargetTagsPlatformsAndBase() {
    BuildPlan plan = plan(flags(List.of("registry.local:5000/app"), List.of("1.0", "stable"),
        List.of("linux/arm64,linux/arm/v7"), "debian:12-slim", List.of()), Map.of());
    assertThat(plan.platforms()).extracting(PlatformPlan::platform)
        .containsExactly(Platform.LINUX_ARM64, Platform.LINUX_ARM_V7);
    assertThat(plan.platforms()).allSatisfy(p -> assertThat(p.base().toString()).isEqualTo("docker.io/library/debian:12-slim"));
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("registry.local:5000/app"), List.of("1.0", "stable")));
  }

  @Test
  void setChangesNestedValuesWithDottedKeys() {
    BuildPlan plan = plan(flags(List.of(), List.of(), List.of(), null, List.of(
        "config.env.NODE_ENV=prod",
        "config.env.NEW=a=b: c",
        "config.workdir=/srv",
        "config.ports=[8099, 53/udp]",
        "config.labels.org.opencontainers.image.version=1.2.3",
        "layers.node-runtime.with.npm=true",
        "compression=zstd")), Map.of());
    ImageConfigSpec c = plan.platforms().get(0).config();
    assertThat(c.env()).containsExactly(Map.entry("NODE_ENV", "prod"), Map.entry("NEW", "a=b: c"));
    assertThat(c.workdir()).contains("/srv");
    assertThat(c.ports()).containsExactly("8099/tcp", "53/udp");
    assertThat(c.labels()).containsEntry("org.opencontainers.image.version", "1.2.3");
    assertThat(plan.platforms().get(0).layers().get(0).paths())
        .anyMatch(p -> p.alternatives().contains("/usr/local/lib/node_modules/npm"));
    assertThat(plan.compression()).isEqualTo(Compression.ZSTD);
  }

  @Test
  void setValuesAreTypeCheckedAndErrorsNameTheArgument() {
    assertThat(problems(flags(List.of(), List.of(), List.of(), null, List.of(
        "config.workdir=relative", "config.entrypiont=[node]", "platforms=linux/amd64", "nokey"))))
        .containsExactlyInAnyOrder(
            "--set config.workdir=relative: 'config.workdir' must be an absolute path, got 'relative'",
            "--set config.entrypiont=[node]: unknown key 'entrypiont' in config (did you mean 'entrypoint'?)",
            "--set platforms=linux/amd64: 'platforms' must be a list of os/arch[/variant] (or Home Assistant arches), "
                + "got a string",
            "--set nokey: --set needs key=value, e.g. --set config.workdir=/app");
  }

  @Test
  void setOnAMissingLayerSaysSo() {
    assertThat(problems(flags(List.of(), List.of(), List.of(), null, List.of("layers.web.to=/x"))))
        .containsExactly("--set layers.web.to=/x: --set layers.web.to=/x: no item 'web' in layers "
            + "(use a layer name or an index)");
  }

  @Test
  void badFlagValuesNameTheFlag() {
    assertThat(problems(flags(List.of("ghcr.io/Acme/App"), List.of("-x"), List.of("linux/sparc"), null, List.of())))
        .containsExactly(
            "--platform linux/sparc: unknown architecture 'sparc' in platform 'linux/sparc' (known: 386, amd64, arm, "
                + "arm64, loong64, mips64le, ppc64le, riscv64, s390x, or a Home Assistant arch: amd64, aarch64, armv7, "
                + "armhf, i386)",
            "--tag -x: bad tag '-x' (up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')",
            "--to ghcr.io/Acme/App: bad image reference in 'to[0]': bad repository name 'Acme/App' in 'ghcr.io/Acme/App' "
                + "(repository names are lower case); if you meant a local path, write oci:DIR or oci-archive:FILE");
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() {
    Map<String, String> env = Map.of("GRAFT_TO", "ghcr.io/env/app", "GRAFT_TAGS", "ci-1,ci", "GRAFT_PLATFORMS",
        "aarch64", "GRAFT_BASE", "alpine:3.18");
    BuildPlan fromEnv = plan(Overrides.fromEnv(env), env);
    assertThat(fromEnv.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/env/app"), List.of("ci-1", "ci")));
    assertThat(fromEnv.platforms()).extracting(PlatformPlan::platform).containsExactly(Platform.LINUX_ARM64);
    assertThat(fromEnv.platforms().get(0).base().toString()).isEqualTo("docker.io/library/alpine:3.18");

    Overrides both = Overrides.fromEnv(env).over(flags(List.of("ghcr.io/flag/app"), List.of(), List.of(), null, List.of()));
    BuildPlan plan = plan(both, env);
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/flag/app"), List.of("ci-1", "ci")));
    assertThat(plan.platforms()).extracting(PlatformPlan::platform).containsExactly(Platform.LINUX_ARM64);
  }

  @Test
  void envErrorsNameTheVariable() {
    Map<String, String> env = Map.of("GRAFT_PLATFORMS", "linux/amd64,bogus/");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.parse("graft.yaml", FILE, dir, Overrides.fromEnv(env), env));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("GRAFT_PLATFORMS");
      assertThat(p.line()).isZero();
      assertThat(p.message()).startsWith("unknown architecture 'bogus' in platform 'bogus/'");
    });
  }

  @Test
  void pathsInFlagsAreRelativeToTheWorkingDirectoryNotTheFile() {
    BuildPlan plan = GraftConfig.parse("graft.yaml", "base: alpine\nlayers:\n  - { name: app, from: ./x, to: /app }\n",
        dir, flags(List.of(), List.of(), List.of(), "oci:base-layout", List.of(
            "layers.app.from=src/test/resources/addons/hasync/backend/dist")), Map.of());
    PlatformPlan p = plan.platforms().get(0);
    assertThat(p.base()).isEqualTo(new ImageRef.OciLayout(Path.of("base-layout"), null));
    assertThat(p.layers().get(0).source()).isEqualTo(new LayerSource.Directory(
        Path.of("src/test/resources/addons/hasync/backend/dist").toAbsolutePath()));
  }
}
