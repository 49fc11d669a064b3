package dev.graft.npm;

import dev.graft.oci.Platform;
import java.util.Objects;

/**
 * The platform npm would install for: its {@code os}, {@code cpu} and {@code libc} as
 * {@code npm ci --os= --cpu= --libc=} take them ({@code linux}, {@code x64}/{@code arm64}/…).
 */
public record NpmTarget(String os, String cpu, Libc libc) {
  public NpmTarget {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(libc, "libc");
  }

  /** Node's {@code process.platform}/{@code process.arch} for an image platform. */
  public static NpmTarget of(Platform p, Libc libc) {
    return new NpmTarget(p.os(), cpuOf(p.architecture()), libc);
  }

  /** Node's name for an OCI architecture ({@code amd64} is {@code x64}, {@code 386} is {@code ia32}). */
  public static String cpuOf(String ociArchitecture) {
    return switch (ociArchitecture) {
      case "amd64" -> "x64";
      case "386" -> "ia32";
      case "ppc64le" -> "ppc64";
      case "mips64le" -> "mips64el";
      case "loong64" -> "loong64";
      default -> ociArchitecture; // arm64, arm, s390x, riscv64 are spelt alike
    };
  }

  @Override
  public String toString() {
    return os + "/" + cpu + " " + libc.npmName();
  }
}
