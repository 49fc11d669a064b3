package dev.graft.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import org.junit.jupiter.api.Test;

class HaArchTest {
  @Test
  void mapsEveryHomeAssistantArchToItsPlatformAndBack() {
    assertThat(HaArch.fromHaName("amd64")).map(HaArch::platform).contains(Platform.parse("linux/amd64"));
    assertThat(HaArch.fromHaName("aarch64")).map(HaArch::platform).contains(Platform.parse("linux/arm64/v8"));
    assertThat(HaArch.fromHaName("armv7")).map(HaArch::platform).contains(Platform.parse("linux/arm/v7"));
    assertThat(HaArch.fromHaName("armhf")).map(HaArch::platform).contains(Platform.parse("linux/arm/v6"));
    assertThat(HaArch.fromHaName("i386")).map(HaArch::platform).contains(Platform.parse("linux/386"));
    for (HaArch a : HaArch.values()) {
      assertThat(HaArch.fromPlatform(a.platform())).contains(a);
    }
  }

  @Test
  void platformWithoutHaNameHasNone() {
    assertThat(HaArch.fromPlatform(Platform.parse("linux/s390x"))).isEmpty();
    assertThat(HaArch.fromHaName("arm64")).isEmpty();
  }

  @Test
  void armhfMeansArmV6InPlatformListsAsHomeAssistantUsesIt() {
    assertThat(Platforms.parse("armhf")).isEqualTo(new Platform("linux", "arm", "v6"));
    assertThat(Platforms.parse("linux/arm64")).isEqualTo(Platform.LINUX_ARM64);
    assertThat(Platforms.parse("arm64")).isEqualTo(Platform.LINUX_ARM64);
  }
}
