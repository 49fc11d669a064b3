package dev.graft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddonReaderTest {
  static final Path ADDONS = Path.of("src/test/resources/addons");
  static final Platform ARMV7 = Platform.parse("linux/arm/v7");

  @TempDir Path tmp;

  static final Overrides WITH_ARMV7 = Overrides.fromFlags(List.of(), List.of(), List.of("aarch64,amd64,armv7"), null,
      null, List.of());

  @Test
  void realisticAddonGivesOneImagePerArchNamedAsHomeAssistantExpects() {
    BuildPlan plan = AddonReader.read(ADDONS.resolve("hasync"), WITH_ARMV7, Map.of());
    assertThat(plan.platforms()).extracting(PlatformPlan::platform)
        .containsExactly(Platform.LINUX_ARM64, Platform.LINUX_AMD64, ARMV7);
    assertThat(plan.platform(Platform.LINUX_ARM64).base().toString())
        .isEqualTo("ghcr.io/home-assistant/aarch64-base:3.15");
    assertThat(plan.platform(ARMV7).base().toString()).isEqualTo("ghcr.io/home-assistant/armv7-base:3.15");
    assertThat(plan.platform(Platform.LINUX_ARM64).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/aarch64-addon-hasync"), List.of("1.2.3")));
    assertThat(plan.platform(ARMV7).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/armv7-addon-hasync"), List.of("1.2.3")));
    assertThat(plan.indexTargets()).as("the generic multi-arch index HA's builder publishes too").containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/addon-hasync"), List.of("1.2.3")));
    assertThat(plan.compression()).as("HA's builder: zstd level 9").isEqualTo(Compression.ZSTD);
    assertThat(plan.compressionLevel()).isEqualTo(9);
    assertThat(plan.platform(ARMV7).builder()).map(Object::toString).contains("docker.io/library/node:18-alpine3.16");
    assertThat(plan.platform(ARMV7).layers()).extracting(LayerSpec::name).containsExactly("node-runtime", "deps", "app");
  }

  @Test
  void setsHomeAssistantAndOciLabelsPerArchUnderTheUsersOwn() {
    BuildPlan plan = AddonReader.read(ADDONS.resolve("hasync"), WITH_ARMV7, Map.of("SOURCE_DATE_EPOCH", "1700000000"));
    Map<String, String> arm = plan.platform(ARMV7).config().labels();
    assertThat(arm).as("an add-on that does not say addon is an app now").containsEntry("io.hass.type", "app")
        .containsEntry("org.opencontainers.image.created", "2023-11-14T22:13:20Z")
        .containsEntry("io.hass.name", "HA Sync")
        .containsEntry("io.hass.description", "Synchronise entities between Home Assistant instances")
        .containsEntry("io.hass.url", "https://github.com/acme/addon-hasync")
        .containsEntry("io.hass.arch", "armv7")
        .containsEntry("io.hass.version", "1.2.3")
        .containsEntry("org.opencontainers.image.description", "Synchronise entities between Home Assistant instances")
        .containsEntry("org.opencontainers.image.version", "1.2.3")
        .containsEntry("org.opencontainers.image.source", "https://github.com/acme/addon-hasync")
        .as("build.yaml's label wins over the derived title")
        .containsEntry("org.opencontainers.image.title", "Home Assistant Add-on: HA Sync")
        .as("graft.yaml's label wins over build.yaml's")
        .containsEntry("org.opencontainers.image.licenses", "MIT");
    assertThat(plan.platform(Platform.LINUX_AMD64).config().labels()).containsEntry("io.hass.arch", "amd64");
    assertThat(plan.platform(ARMV7).config().cmd()).contains(List.of("node", "index.js"));
    assertThat(plan.platform(ARMV7).config().entrypoint()).as("HA's /init is kept").isEmpty();
  }

  @Test
  void legacyBuildYamlIsReadWithADeprecationNoteAndItsArgsAreIgnored() {
    BuildPlan plan = AddonReader.read(ADDONS.resolve("hasync"), Overrides.NONE, Map.of("SOURCE_DATE_EPOCH", "1"));
    assertThat(plan.notes()).containsExactly(
        ADDONS.resolve("hasync/build.yaml") + ": Home Assistant deprecated build.yaml (its builder no longer reads it): "
            + "move build_from into the Dockerfile's FROM and labels into LABEL, then delete it; graft still reads it "
            + "and ignores the Dockerfile meanwhile",
        ADDONS.resolve("hasync/config.yaml") + ":8:3: not building armv7: Home Assistant dropped it in late 2025 "
            + "(build it anyway with --platform armv7)",
        ADDONS.resolve("hasync/build.yaml") + ":9:1: build.yaml 'args' is ignored: graft does not run a Dockerfile");
  }

  @Test
  void aLegacyAddonThatSaysAddonKeepsItsType() throws Exception {
    Files.writeString(tmp.resolve("config.yaml"), "name: x\nversion: '1'\ndescription: d\narch: [amd64]\n");
    Files.writeString(tmp.resolve("build.yaml"), "build_from:\n  amd64: ghcr.io/home-assistant/amd64-base:3.15\n"
        + "labels:\n  io.hass.type: addon\n");
    assertThat(AddonReader.read(tmp).platform(Platform.LINUX_AMD64).config().labels())
        .containsEntry("io.hass.type", "addon");
  }

  @Test
  void anAppsLevelComesFromCompressionLevelOrItsAlgorithmFromTheDefault() throws Exception {
    Files.writeString(tmp.resolve("config.yaml"), "name: x\nversion: '1'\ndescription: d\narch: [amd64]\n");
    Files.writeString(tmp.resolve("build.yaml"), "build_from:\n  amd64: ghcr.io/home-assistant/amd64-base:3.15\n");
    BuildPlan byDefault = AddonReader.read(tmp);
    assertThat(byDefault.compression()).isEqualTo(Compression.ZSTD);
    assertThat(byDefault.compressionLevel()).as("HA's zstd:9").isEqualTo(9);
    // --set compressionLevel replaces the default's level, keeping its algorithm
    BuildPlan set = AddonReader.read(tmp, Overrides.fromFlags(List.of(), List.of(), List.of(), null, null,
        List.of("compressionLevel=12")), Map.of());
    assertThat(set.compression()).isEqualTo(Compression.ZSTD);
    assertThat(set.compressionLevel()).isEqualTo(12);
    // graft.yaml's compressionLevel likewise
    Files.writeString(tmp.resolve("graft.yaml"), "compressionLevel: 5\n");
    BuildPlan own = AddonReader.read(tmp);
    assertThat(own.compression()).isEqualTo(Compression.ZSTD);
    assertThat(own.compressionLevel()).isEqualTo(5);
  }

  @Test
  void indexAndPlatformFlagsNarrowAndAddAMultiArchIndex() {
    Overrides flags = Overrides.fromFlags(List.of(), List.of(), List.of("aarch64,amd64"), null,
        "ghcr.io/acme/addon-hasync", List.of());
    BuildPlan plan = AddonReader.read(ADDONS.resolve("hasync"), flags, Map.of("SOURCE_DATE_EPOCH", "1700000000"));
    assertThat(plan.platforms()).extracting(PlatformPlan::platform)
        .containsExactly(Platform.LINUX_ARM64, Platform.LINUX_AMD64);
    assertThat(plan.indexTargets()).containsExactly(
        new ImageTarget(ImageRef.parse("ghcr.io/acme/addon-hasync"), List.of("1.2.3")));
    assertThat(plan.epoch().getEpochSecond()).isEqualTo(1700000000L);
  }

  @Test
  void platformOutsideTheAddonsArchesIsRefused() {
    Overrides flags = Overrides.fromFlags(List.of(), List.of(), List.of("i386"), null, null, List.of());
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> AddonReader.read(ADDONS.resolve("hasync"), flags, Map.of()));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        ADDONS.resolve("hasync/config.yaml") + ":8:3: platform linux/386 (i386) is not in the app's arch list "
            + "(aarch64, amd64, armv7)");
  }

  @Test
  void olderJsonAddonIsReadToo() {
    Overrides all = Overrides.fromFlags(List.of(), List.of(), List.of("armhf,armv7,aarch64,amd64,i386"), null, null,
        List.of());
    BuildPlan plan = AddonReader.read(ADDONS.resolve("legacy-json"), all, Map.of());
    assertThat(plan.platforms()).extracting(p -> p.platform().toString())
        .containsExactly("linux/arm/v6", "linux/arm/v7", "linux/arm64/v8", "linux/amd64", "linux/386");
    assertThat(plan.notes()).filteredOn(n -> n.startsWith("warning: ")).containsExactly(
        "warning: --platform armhf,armv7,aarch64,amd64,i386: Home Assistant dropped armhf in late 2025 (HA installs only "
            + "amd64 and aarch64 images now); building it anyway",
        "warning: --platform armhf,armv7,aarch64,amd64,i386: Home Assistant dropped armv7 in late 2025 (HA installs only "
            + "amd64 and aarch64 images now); building it anyway",
        "warning: --platform armhf,armv7,aarch64,amd64,i386: Home Assistant dropped i386 in late 2025 (HA installs only "
            + "amd64 and aarch64 images now); building it anyway");
    assertThat(plan.platform(Platform.parse("linux/arm/v6")).base().toString())
        .isEqualTo("ghcr.io/home-assistant/armhf-base:3.15");
    assertThat(plan.platform(Platform.parse("linux/386")).targets()).containsExactly(
        new ImageTarget(ImageRef.parse("acme/i386-legacy"), List.of("0.9")));
    assertThat(plan.platform(Platform.parse("linux/386")).layers()).isEmpty();
    assertThat(plan.notes()).filteredOn(n -> n.contains("'squash' is ignored")).singleElement().asString()
        .as("the file it read is named").contains("build.json 'squash' is ignored").doesNotContain("build.yaml");
    assertThat(plan.notes()).as("no graft.yaml: nothing of the add-on would be in its image").contains(
        "add-on 'Legacy Node Add-on' has no graft.yaml, so its image would be the base with labels only, nothing of the "
            + "add-on's own (with build.json graft does not read the Dockerfile); add a graft.yaml beside config.yaml "
            + "with the layers (node, node_modules, the app's files): see docs/graft-yaml.md");
  }

  @Test
  void addonWithoutAnyBaseIsRefusedNamingBothPlacesToSayIt() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> AddonReader.read(ADDONS.resolve("no-base")));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        ADDONS.resolve("no-base/config.yaml") + ":1:1: no base image for app 'No Base': the app has no Dockerfile "
            + "(FROM ghcr.io/home-assistant/base:3.23), and graft.yaml names no base:");
  }

  @Test
  void buildFromMissingAnArchPointsAtBuildYaml() throws Exception {
    Files.writeString(tmp.resolve("config.yaml"), "name: x\nversion: '1'\ndescription: d\narch: [amd64, aarch64]\n"
        + "image: ghcr.io/acme/{arch}-x\n");
    Files.writeString(tmp.resolve("build.yaml"), "build_from:\n  amd64: ghcr.io/home-assistant/amd64-base:3.15\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> AddonReader.read(tmp));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        tmp.resolve("build.yaml") + ":2:3: 'base' names no image for linux/arm64/v8 (it has: linux/amd64)");
  }

  @Test
  void badAddonConfigIsReportedAtItsLines() throws Exception {
    Files.writeString(tmp.resolve("config.yaml"), "name: x\nversion: 1.0 beta\ndescription: d\n"
        + "arch: [amd64, arm64]\nimage: ghcr.io/acme/{arch}-x:1.0\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> AddonReader.read(tmp));
    String f = tmp.resolve("config.yaml").toString();
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        f + ":2:10: version '1.0 beta' cannot be an image tag (letters, digits, '_', '.', '-'; not starting with '.' "
            + "or '-')",
        f + ":4:15: unknown Home Assistant arch 'arm64' (known: amd64, aarch64, armv7, armhf, i386)",
        f + ":5:8: 'image' must not carry a tag or digest; Home Assistant tags it with the version");
  }

  @Test
  void notAnAddonDirectoryIsNamed() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> AddonReader.read(tmp));
    assertThat(e.getMessage()).isEqualTo(tmp + ": no config.yaml (or config.json) in " + tmp.toAbsolutePath()
        + "; is this a Home Assistant app directory?");
  }
}
