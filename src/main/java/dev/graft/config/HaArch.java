package dev.graft.config;

import dev.graft.oci.Platform;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Home Assistant's architecture names and the OCI platforms they stand for. HA's {@code armhf}
 * is the Raspberry Pi 1/Zero (ARMv6), not Debian's armhf (ARMv7): HA's builder maps it to
 * {@code linux/arm/v6}, and so do we.
 */
public enum HaArch {
  AMD64(new Platform("linux", "amd64", null)),
  AARCH64(new Platform("linux", "arm64", "v8")),
  ARMV7(new Platform("linux", "arm", "v7")),
  ARMHF(new Platform("linux", "arm", "v6")),
  I386(new Platform("linux", "386", null));

  private final Platform platform;

  HaArch(Platform platform) {
    this.platform = platform;
  }

  /**
   * The name HA uses in {@code config.yaml}'s {@code arch} list and in {@code {arch}} image names:
   * the constant's name in lower case.
   */
  public String haName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The OCI platform (normalised). */
  public Platform platform() {
    return platform;
  }

  public static Optional<HaArch> fromHaName(String name) {
    return Arrays.stream(values()).filter(a -> a.haName().equals(name)).findFirst();
  }

  /** The HA arch of a platform, if HA has a name for it (it has none for e.g. linux/s390x). */
  public static Optional<HaArch> fromPlatform(Platform p) {
    Platform n = p.normalized();
    return Arrays.stream(values()).filter(a -> a.platform.equals(n)).findFirst();
  }

  /**
   * Whether Home Assistant still supports the arch: only amd64 and aarch64 since late 2025
   * (armhf, armv7 and i386 were dropped; HA's builder refuses them).
   */
  public boolean supported() {
    return this == AMD64 || this == AARCH64;
  }

  /** "amd64, aarch64, armv7, armhf, i386", for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(HaArch::haName).collect(Collectors.joining(", "));
  }
}
