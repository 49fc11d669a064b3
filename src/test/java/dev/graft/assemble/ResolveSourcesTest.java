package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Platform;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase "resolve" on real multi-platform layouts (the Alpine minirootfs of three arches): the
 * platform's manifest and config through the index, the trees read only when asked, and a
 * platform the base lacks refused with what it has.
 */
class ResolveSourcesTest {
  @TempDir
  static Path images;

  @Test
  void resolvesThePlatformsImagesAndReadsTheirFilesOnlyWhenAsked(@TempDir Path tmp) throws Exception {
    try (PhaseFixture f = PhaseFixture.of(images, tmp.resolve("project"), tmp.resolve("cache"), Platform.LINUX_ARM64,
        "- { name: release, from: base, paths: [/etc/alpine-release] }\n", "entrypoint: [/bin/sh]")) {
      ResolvedSources s = f.resolve();
      assertThat(s.base().config().platform().matches(Platform.LINUX_ARM64)).isTrue();
      assertThat(s.builder().orElseThrow().config().platform().matches(Platform.LINUX_ARM64)).isTrue();
      assertThat(f.listener.steps()).containsExactly("resolve base", "resolve builder");

      assertThat(s.baseTree().get().find("/etc/alpine-release")).isPresent();
      assertThat(s.baseTree().get().find("/lib/ld-musl-aarch64.so.1")).isPresent();
      assertThat(f.listener.steps()).containsExactly("resolve base", "resolve builder", "read base");
      assertThat(s.builderTree().get().find("/sbin/apk")).isPresent();
      assertThat(f.listener.steps()).endsWith("read builder");
    }
  }

  @Test
  void aPlatformTheBaseLacksIsRefusedWithWhatItHas(@TempDir Path tmp) throws Exception {
    try (PhaseFixture f = PhaseFixture.of(images, tmp.resolve("project"), tmp.resolve("cache"),
        Platform.parse("linux/s390x"), "- { name: release, from: base, paths: [/etc/alpine-release] }\n",
        "entrypoint: [/bin/sh]")) {
      assertThatThrownBy(f::resolve).isInstanceOf(BuildException.class)
          .hasMessageStartingWith("failed to resolve base for linux/s390x (oci:")
          .hasMessageContaining("has no image for linux/s390x (it has: linux/amd64, linux/arm64/v8, linux/arm/v7)");
    }
  }
}
