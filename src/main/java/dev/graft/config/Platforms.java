package dev.graft.config;

import dev.graft.oci.Platform;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the platforms a user may write: an OCI platform ({@code linux/arm64}, {@code linux/arm/v7})
 * or a Home Assistant arch name ({@code aarch64}, {@code armhf}). HA names win where both readings
 * exist, because in HA files {@code armhf} means ARMv6.
 */
public final class Platforms {
  /** Architectures images are published for (Go's GOARCH names, as OCI uses them). */
  static final Set<String> ARCHITECTURES =
      Set.of("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64");

  private static final Set<String> ARM_VARIANTS = Set.of("v5", "v6", "v7");
  private static final Set<String> AMD64_VARIANTS = Set.of("v1", "v2", "v3", "v4");

  private Platforms() {}

  /**
   * A platform of an existing image (for {@code ls}, {@code verify}, {@code copy}, ...): a Home
   * Assistant arch name, else any {@code os/arch[/variant]} (an image may be for another OS).
   */
  public static Platform parseAny(String text) {
    Optional<HaArch> ha = HaArch.fromHaName(text);
    if (ha.isPresent()) {
      return ha.get().platform();
    }
    try {
      return Platform.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " or a Home Assistant arch (" + HaArch.names() + ")");
    }
  }

  /** A platform to build, or an explanation of what is wrong with the text. */
  public static Platform parse(String text) {
    Optional<HaArch> ha = HaArch.fromHaName(text);
    if (ha.isPresent()) {
      return ha.get().platform();
    }
    Platform p;
    try {
      p = Platform.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " or a Home Assistant arch (" + HaArch.names() + ")");
    }
    if (!p.os().equals("linux")) {
      throw new IllegalArgumentException("unsupported OS '" + p.os() + "' in platform '" + text
          + "' (graft builds Linux images)");
    }
    if (!ARCHITECTURES.contains(p.architecture())) {
      throw new IllegalArgumentException("unknown architecture '" + p.architecture() + "' in platform '" + text
          + "' (known: " + String.join(", ", ARCHITECTURES.stream().sorted().toList()) + ", or a Home Assistant arch: "
          + HaArch.names() + ")");
    }
    if (p.architecture().equals("arm") && !ARM_VARIANTS.contains(p.variant())) {
      throw new IllegalArgumentException("unknown variant '" + p.variant() + "' in platform '" + text
          + "' (arm variants are v5, v6, v7)");
    }
    if (p.architecture().equals("arm64") && !"v8".equals(p.variant())) {
      throw new IllegalArgumentException("unknown variant '" + p.variant() + "' in platform '" + text
          + "' (write linux/arm64 or linux/arm64/v8)");
    }
    if (p.architecture().equals("amd64") && p.variant() != null && !AMD64_VARIANTS.contains(p.variant())) {
      throw new IllegalArgumentException("unknown variant '" + p.variant() + "' in platform '" + text
          + "' (amd64 variants are v1 to v4)");
    }
    if (!p.architecture().startsWith("arm") && !p.architecture().equals("amd64") && p.variant() != null) {
      throw new IllegalArgumentException("platform '" + text + "' has a variant, but " + p.architecture()
          + " has none");
    }
    return p;
  }
}
