package dev.graft.oci;

import java.util.Objects;

/**
 * An image platform, e.g. {@code linux/arm64/v8}. Normalised like containerd does: arm64's
 * variant defaults to v8, arm's to v7, and {@code aarch64}/{@code x86_64} mean arm64/amd64.
 */
public record Platform(String os, String architecture, String variant) {
  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null || variant.isEmpty() ? null : variant;
  }

  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
  public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", "v8");
  public static final Platform LINUX_ARM_V7 = new Platform("linux", "arm", "v7");

  /** Parses {@code os/arch[/variant]}; {@code arch} alone means linux. */
  public static Platform parse(String text) {
    String[] parts = text.trim().split("/");
    if (parts.length == 1 && !parts[0].isEmpty()) {
      return new Platform("linux", parts[0], null).normalized();
    }
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "malformed platform '" + text + "' (expected os/arch[/variant], e.g. linux/arm64)");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null).normalized();
  }

  /** Normalised form: architecture aliases resolved, default variants filled in. */
  public Platform normalized() {
    String arch = switch (architecture) {
      case "x86_64", "x86-64" -> "amd64";
      case "aarch64" -> "arm64";
      case "armhf", "armel" -> "arm";
      case "i386", "i686" -> "386";
      default -> architecture;
    };
    String v = variant;
    if (arch.equals("arm64") && v == null) {
      v = "v8";
    }
    if (arch.equals("arm") && v == null) {
      v = architecture.equals("armel") ? "v6" : "v7";
    }
    return new Platform(os, arch, v);
  }

  /** Whether this (normalised) platform is the same as another after normalisation. */
  public boolean matches(Platform other) {
    return normalized().equals(other.normalized());
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }

  // equals/hashCode written out: a record's generated ones are bootstrapped through invokedynamic
  // (java.lang.runtime.ObjectMethods), which spins method-handle classes on first use in every run
  // (class-data sharing does not keep them): a measurable part of a short rebuild's start.
  @Override
  public boolean equals(Object o) {
    return o instanceof Platform p && p.os.equals(os) && p.architecture.equals(architecture)
        && java.util.Objects.equals(p.variant, variant);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(os, architecture, variant);
  }
}
