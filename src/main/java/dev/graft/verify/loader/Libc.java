package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfMachine;
import java.util.Optional;

/** The two C libraries whose loaders graft emulates, and how to tell which one a file wants. */
public enum Libc {
  MUSL("musl"),
  GLIBC("glibc");

  private final String displayName;

  Libc(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /**
   * Which libc an ELF file was linked against: by its interpreter for programs, by its libc
   * NEEDED entry or glibc version needs for shared objects (addons have no interpreter).
   * Empty for static files and for libraries that link no libc at all.
   */
  public static Optional<Libc> of(ElfFile elf) {
    if (elf.interpreter().isPresent()) {
      String i = elf.interpreter().get();
      return Optional.of(i.contains("ld-musl-") ? MUSL : GLIBC);
    }
    for (String n : elf.needed()) {
      // "libc.so" alone: a musl cross-build (Rust's musl targets, bcrypt's arm64 prebuild); glibc's
      // libc.so is a linker script that links libc.so.6. Decisive even when libgcc_s's own
      // GLIBC_2.0 version (aarch64) appears among the version needs.
      if (n.startsWith("libc.musl-") || n.equals("libc.so")) {
        return Optional.of(MUSL);
      }
      if (n.equals("libc.so.6") || n.equals("libc.so.6.1") || n.equals("libc.so.7")) {
        return Optional.of(GLIBC);
      }
    }
    for (String file : elf.versionNeeds().keySet()) {
      if (elf.versionNeeds().get(file).stream().anyMatch(v -> v.startsWith("GLIBC_"))) {
        return Optional.of(GLIBC);
      }
    }
    return Optional.empty();
  }

  /** The interpreter path a program of this libc has for a machine (ARM: by float ABI). */
  public String interpreter(ElfMachine machine, boolean armHardFloat) {
    if (this == MUSL) {
      return "/lib/ld-musl-" + muslArch(machine, armHardFloat) + ".so.1";
    }
    return switch (machine) {
      case X86_64 -> "/lib64/ld-linux-x86-64.so.2";
      case AARCH64 -> "/lib/ld-linux-aarch64.so.1";
      case ARM -> armHardFloat ? "/lib/ld-linux-armhf.so.3" : "/lib/ld-linux.so.3";
      case I386 -> "/lib/ld-linux.so.2";
      case PPC64 -> "/lib64/ld64.so.2";
      case S390 -> "/lib/ld64.so.1";
      case RISCV -> "/lib/ld-linux-riscv64-lp64d.so.1";
      default -> "/lib/ld-linux-" + machine.unameName() + ".so.1";
    };
  }

  /** musl's {@code LDSO_ARCH}: the part of {@code ld-musl-<arch>.so.1} and {@code /etc/ld-musl-<arch>.path}. */
  public static String muslArch(ElfMachine machine, boolean armHardFloat) {
    return switch (machine) {
      case ARM -> armHardFloat ? "armhf" : "arm";
      case PPC64 -> "powerpc64le";
      case PPC -> "powerpc";
      default -> machine.unameName();
    };
  }

  /** Debian's multiarch triplet, the directory glibc's default search path uses on Debian/Ubuntu. */
  public static String multiarchTriplet(ElfMachine machine, boolean armHardFloat) {
    return switch (machine) {
      case X86_64 -> "x86_64-linux-gnu";
      case AARCH64 -> "aarch64-linux-gnu";
      case ARM -> armHardFloat ? "arm-linux-gnueabihf" : "arm-linux-gnueabi";
      case I386 -> "i386-linux-gnu";
      case PPC64 -> "powerpc64le-linux-gnu";
      case S390 -> "s390x-linux-gnu";
      case RISCV -> "riscv64-linux-gnu";
      default -> machine.unameName() + "-linux-gnu";
    };
  }
}
