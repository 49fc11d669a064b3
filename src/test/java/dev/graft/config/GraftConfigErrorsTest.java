package dev.graft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of mistake is refused before any network access, pointing at the file, line and key. */
class GraftConfigErrorsTest {
  @TempDir Path dir;

  @BeforeEach
  void makeLocalDirs() throws Exception {
    Files.createDirectories(dir.resolve("dist"));
    Files.writeString(dir.resolve("notadir"), "x");
  }

  List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.parse("graft.yaml", yaml, dir, Overrides.NONE, Map.of()));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void unknownKeyNamesLineAndSuggestsTheRightOne() {
    assertThat(problems("""
        base: alpine
        config:
          workdir: /app
          entrypiont: [node, index.js]
        """)).containsExactly(
        "graft.yaml:4:3: unknown key 'entrypiont' in config (did you mean 'entrypoint'?)");
  }

  @Test
  void unknownTopLevelKeyWithoutCloseMatchListsAllowedKeys() {
    assertThat(problems("base: alpine\nfrobnicate: 1\n")).containsExactly(
        "graft.yaml:2:1: unknown key 'frobnicate' (allowed: base, builder, platforms, layers, config, to, tags, "
            + "index, format, compression, compressionLevel, dockerfile)");
  }

  @Test
  void wrongTypeNamesWhatWasExpectedAndWhatWasGiven() {
    assertThat(problems("base: alpine\nplatforms: linux/amd64\n")).containsExactly(
        "graft.yaml:2:12: 'platforms' must be a list of os/arch[/variant] (or Home Assistant arches), got a string");
  }

  @Test
  void shellFormEntrypointIsRefusedWithTheExecForm() {
    assertThat(problems("base: alpine\nconfig:\n  entrypoint: node index.js\n")).containsExactly(
        "graft.yaml:3:15: 'config.entrypoint' must be a list (exec form), e.g. [node, index.js], got a string");
  }

  @Test
  void missingBaseIsAnError() {
    assertThat(problems("platforms: [linux/amd64]\n")).containsExactly(
        "graft.yaml:1:1: no base image: add 'base:' (e.g. base: node:18-alpine, or "
            + "ghcr.io/home-assistant/{arch}-base:3.15) or pass --base");
  }

  @Test
  void invalidPlatformsAreNamed() {
    assertThat(problems("base: alpine\nplatforms:\n  - linux/amd64\n  - linux/sparc\n  - windows/amd64\n  - linux/arm/v9\n"))
        .containsExactly(
            "graft.yaml:4:5: unknown architecture 'sparc' in platform 'linux/sparc' (known: 386, amd64, arm, arm64, "
                + "loong64, mips64le, ppc64le, riscv64, s390x, or a Home Assistant arch: amd64, aarch64, armv7, armhf, i386)",
            "graft.yaml:5:5: unsupported OS 'windows' in platform 'windows/amd64' (graft builds Linux images)",
            "graft.yaml:6:5: unknown variant 'v9' in platform 'linux/arm/v9' (arm variants are v5, v6, v7)");
  }

  @Test
  void invalidImageRefIsNamedWithTheKey() {
    assertThat(problems("base: ghcr.io/Acme/Base:1\nbuilder: 'node:18@sha256:nothex'\n")).containsExactly(
        "graft.yaml:1:7: bad image reference in 'base': bad repository name 'Acme/Base' in 'ghcr.io/Acme/Base:1' "
            + "(repository names are lower case); if you meant a local path, write oci:DIR or oci-archive:FILE",
        "graft.yaml:2:10: bad image reference in 'builder': bad digest in 'node:18@sha256:nothex': "
            + "malformed sha256 digest 'sha256:nothex'");
  }

  @Test
  void duplicateLayerNamesPointAtTheSecond() {
    assertThat(problems("""
        base: alpine
        layers:
          - { name: app, from: ./dist, to: /app }
          - { name: app, from: ./dist, to: /srv }
        """)).containsExactly(
        "graft.yaml:4:5: duplicate layer name 'app' (first at graft.yaml:3:5); give one of them another name");
  }

  @Test
  void recipeUsedTwiceIsADuplicateToo() {
    assertThat(problems("""
        base: alpine
        builder: node:18-alpine
        layers:
          - recipe: node-runtime
          - recipe: node-runtime-minimal
        """)).containsExactly(
        "graft.yaml:5:5: duplicate layer name 'node-runtime' (first at graft.yaml:4:5); give one of them another name");
  }

  @Test
  void toMustBeAbsolute() {
    assertThat(problems("base: alpine\nlayers:\n  - { name: app, from: ./dist, to: app }\n")).containsExactly(
        "graft.yaml:3:36: 'layers[0].to' must be an absolute path in the image, got 'app'");
  }

  @Test
  void localFromMustExistAndErrorNamesTheResolvedPath() {
    Path missing = dir.resolve("frontend/dist");
    assertThat(problems("""
        base: alpine
        layers:
          - { name: web, from: ./frontend/dist, to: /web }
          - { name: f, from: notadir, to: /f }
        """)).containsExactly(
        "graft.yaml:3:24: local directory " + missing + " does not exist",
        "graft.yaml:4:22: local directory " + dir.resolve("notadir") + " does not exist (it is not a directory)");
  }

  @Test
  void misspelledBuilderSourceIsSuggested() {
    assertThat(problems("base: alpine\nbuilder: node:18\nlayers:\n  - { name: n, from: buidler, paths: [/x] }\n"))
        .containsExactly("graft.yaml:4:22: local directory " + dir.resolve("buidler")
            + " does not exist (did you mean 'builder'?)");
  }

  @Test
  void layerFromBuilderNeedsABuilder() {
    assertThat(problems("""
        base: alpine
        layers:
          - name: deps
            from: builder
            paths: [/build/node_modules]
        """)).containsExactly(
        "graft.yaml:3:5: layer 'deps' takes files from the builder, but no builder image is set: "
            + "add 'builder:' (e.g. builder: node:18-alpine3.16)");
  }

  @Test
  void archTemplateNeedsAnHaArchForEveryPlatform() {
    assertThat(problems("base: ghcr.io/home-assistant/{arch}-base:3.15\nplatforms: [linux/amd64, linux/s390x]\n"))
        .containsExactly("graft.yaml:1:7: 'base' uses {arch}, but Home Assistant has no arch name for linux/s390x "
            + "(it has amd64, aarch64, armv7, armhf, i386); give 'base' as a mapping from platform to image");
  }

  @Test
  void unknownPlaceholderIsRefused() {
    assertThat(problems("base: ghcr.io/acme/{platform}-base:1\n")).containsExactly(
        "graft.yaml:1:7: unknown placeholder '{platform}' in 'base' (only {arch} is replaced, by the Home Assistant "
            + "arch name: amd64, aarch64, armv7, armhf, i386)");
  }

  @Test
  void perPlatformMapMissingAPlatformSaysWhichItHas() {
    assertThat(problems("base:\n  amd64: alpine\nplatforms: [amd64, aarch64]\n")).containsExactly(
        "graft.yaml:2:3: 'base' names no image for linux/arm64/v8 (it has: linux/amd64)");
  }

  @Test
  void imagePathsMustBeAbsoluteAndLocalOnesRelative() {
    assertThat(problems("""
        base: alpine
        builder: node:18
        layers:
          - name: deps
            from: builder
            paths: [build/node_modules]
          - name: app
            from: ./dist
            to: /app
            paths: [/etc/passwd, "../secret"]
        """)).containsExactly(
        "graft.yaml:6:13: 'build/node_modules' in 'layers[0].paths[0]' must be an absolute path in the image "
            + "(e.g. /build/node_modules)",
        "graft.yaml:10:13: '/etc/passwd' in 'layers[1].paths[0]' must be relative to the layer's directory");
  }

  @Test
  void toWithSeveralImagePathsIsAmbiguousAndRefused() {
    assertThat(problems("""
        base: alpine
        builder: node:18
        layers:
          - { name: n, from: builder, paths: [/a, /b], to: /opt }
        """)).containsExactly(
        "graft.yaml:4:52: 'to' relocates exactly one path taken from an image, but layer 'n' (layers[0]) has 2 paths; "
            + "split it into one layer per path, or drop 'to' to keep their paths");
  }

  @Test
  void closureAutoOnALocalDirectoryIsRefused() {
    assertThat(problems("base: alpine\nlayers:\n  - { name: a, from: ./dist, to: /a, closure: auto }\n"))
        .containsExactly("graft.yaml:3:47: closure: auto needs files from an image (builder or base); "
            + "layer 'a' (layers[0]) takes them from a local directory");
  }

  @Test
  void closureConflictsMustBeAKnownChoiceOnALayerWithClosureAuto() {
    assertThat(problems("base: alpine\nbuilder: b\nlayers:\n  - { name: a, from: builder, paths: [/x], conflicts: newest }\n"))
        .containsExactly("graft.yaml:4:55: 'layers[0].conflicts' must be compatible, builder or base, got 'newest'");
    assertThat(problems("base: alpine\nbuilder: b\nlayers:\n"
        + "  - { name: a, from: builder, paths: [/x], closure: off, conflicts: base }\n"))
        .containsExactly("graft.yaml:4:69: 'conflicts' says what closure: auto does where the base has a different "
            + "library, but layer 'a' (layers[0]) has closure: off");
  }

  @Test
  void recipeErrorsNameTheRecipeAndParameter() {
    assertThat(problems("""
        base: alpine
        builder: node:18
        layers:
          - recipe: node-runtme
          - recipe: node-runtime
            with: { nmp: true, corepack: "yes" }
            from: builder
        """)).containsExactly(
        "graft.yaml:4:13: unknown recipe 'node-runtme' (did you mean 'node-runtime'?); built-in recipes: "
            + "node-runtime, node-runtime-minimal, ca-certificates, tzdata (a recipe file is named by a path, "
            + "e.g. ./recipes/mine.yaml)",
        "graft.yaml:6:13: recipe 'node-runtime' has no parameter 'nmp' (did you mean 'npm'?)",
        "graft.yaml:6:34: 'layers[1].with.corepack' must be true or false, got a string",
        "graft.yaml:7:5: 'from' cannot be combined with 'recipe' in layers[1] (the recipe says which files to take; "
            + "write a separate layer for your own files)");
  }

  @Test
  void duplicateYamlKeysAreRefused() {
    assertThat(problems("base: alpine\nto: a/b\nbase: debian\n")).containsExactly(
        "graft.yaml:3:1: duplicate key 'base' (first at line 1)");
  }

  @Test
  void yamlSyntaxErrorsPointAtTheLine() {
    assertThat(problems("base: alpine\nconfig:\n  env: [a\n  workdir: /x\n")).singleElement()
        .asString().startsWith("graft.yaml:4:").contains("not valid YAML");
  }

  @Test
  void aliasesAreRefusedRatherThanMisread() {
    assertThat(problems("base: &b alpine\nbuilder: *b\n")).containsExactly(
        "graft.yaml:2:10: YAML aliases (*b) are not supported; write the value out");
  }

  @Test
  void allProblemsAreReportedTogetherInFileOrder() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> GraftConfig.parse("graft.yaml", """
        bsae: alpine
        platforms: [linux/amd64, linux/sparc]
        config:
          workdir: app
          ports: [0, 8099/tcp, http]
        tags: ["-bad"]
        """, dir, Overrides.NONE, Map.of()));
    assertThat(e.problems()).extracting(ConfigProblem::line).containsExactly(1, 2, 4, 5, 5, 6);
    assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly(
        "bsae", "platforms[1]", "config.workdir", "config.ports[0]", "config.ports[2]", "tags[0]");
    assertThat(e.getMessage()).startsWith("6 problems in the configuration:\n  graft.yaml:1:1: unknown key 'bsae' "
        + "(did you mean 'base'?)\n");
  }

  @Test
  void badHealthcheckAndDurationsAreNamed() {
    assertThat(problems("""
        base: alpine
        config:
          healthcheck:
            test: [curl, localhost]
            interval: soon
            retries: -1
        """)).containsExactly(
        "graft.yaml:4:11: 'config.healthcheck.test' must start with CMD, CMD-SHELL or NONE, e.g. [CMD, node, healthcheck.js]",
        "graft.yaml:5:15: 'config.healthcheck.interval' must be a duration like 30s, 1m30s or 500ms, got 'soon'",
        "graft.yaml:6:14: 'config.healthcheck.retries' must be a count from 0 to 1000, got -1");
  }

  @Test
  void targetsCannotBePinnedByDigest() {
    assertThat(problems("base: alpine\nto: ghcr.io/a/b@sha256:" + "a".repeat(64) + "\n")).containsExactly(
        "graft.yaml:2:5: 'to' cannot be pinned by digest (ghcr.io/a/b@sha256:" + "a".repeat(64)
            + "); a pushed image gets its digest from its content");
  }

  @Test
  void hostileFilesAreRefusedWithoutExhaustingAnything() throws Exception {
    assertThat(problems("base: " + "[".repeat(100_000))).singleElement().asString()
        .isEqualTo("graft.yaml:1:70: nested more than 64 levels deep; graft's configuration is never that deep");
    Path giant = dir.resolve("giant.yaml");
    Files.write(giant, new byte[(int) YamlReader.MAX_BYTES + 1]);
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.load(giant, Overrides.NONE, Map.of()));
    assertThat(e.getMessage()).isEqualTo(giant + ": file is 1048577 bytes; a configuration file is at most 1048576 bytes");
  }

  @Test
  void nonUtf8AndMultiDocumentFilesAreRefused() throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "base: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.load(latin1, Overrides.NONE, Map.of()));
    assertThat(e.getMessage()).isEqualTo(latin1 + ": file is not UTF-8 text: " + latin1.toAbsolutePath());
    assertThat(problems("base: alpine\n---\nbase: debian\n")).containsExactly(
        "graft.yaml:3:1: several YAML documents ('---') in one file; keep one");
  }

  @Test
  void missingFileIsNamed() {
    Path none = dir.resolve("graft.yaml");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.load(none, Overrides.NONE, Map.of()));
    assertThat(e.getMessage()).isEqualTo(none + ": file not found: " + none);
  }

  @Test
  void unquotedArchInAFlowListGetsAHint() {
    assertThat(problems("base: alpine\nto: [ghcr.io/acme/{arch}-app]\n")).singleElement().asString()
        .startsWith("graft.yaml:2:").contains("not valid YAML")
        .endsWith("(put quotes around references with {arch} inside [ ] or { }, e.g. [\"ghcr.io/acme/{arch}-app\"])");
  }

  @Test
  void archInToForAPlatformWithoutHaNameSaysHowToFixIt() {
    assertThat(problems("base: alpine\nplatforms: [amd64, linux/s390x]\nto: ghcr.io/a/{arch}-x\n")).containsExactly(
        "graft.yaml:3:5: 'to' uses {arch}, but Home Assistant has no arch name for linux/s390x (it has amd64, aarch64, "
            + "armv7, armhf, i386); build that platform separately, or write 'to' without {arch}");
  }

  @Test
  void indexIsOneReference() {
    assertThat(problems("base: alpine\nindex: { amd64: ghcr.io/a/b }\n")).containsExactly(
        "graft.yaml:2:8: 'index' must be one image reference, got a mapping");
  }

  @Test
  void aMisspelledRequiredKeyIsReportedOnceAsATypo() {
    assertThat(problems("base: alpine\nlayers:\n  - { name: app, form: ./dist, to: /app }\n")).containsExactly(
        "graft.yaml:3:18: unknown key 'form' in layers[0] (did you mean 'from'?)");
  }

  @Test
  void dockerFormatOnlyCarriesGzipLayers() {
    assertThat(problems("""
        base: alpine
        builder: node:18
        format: docker
        compression: zstd
        layers:
          - recipe: node-runtime
            compression: none
        """)).containsExactly(
        "graft.yaml:4:14: Docker manifests hold gzip layers only: with format: docker, use compression: gzip "
            + "(or format: oci for zstd)",
        "graft.yaml:6:5: layer 'node-runtime' asks for none compression, but Docker manifests hold gzip layers only "
            + "(format: docker); use gzip or format: oci");
  }
}
