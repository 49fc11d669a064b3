package dev.graft.elf;

import java.util.Optional;

/**
 * {@code e_machine} values graft knows, with the names people and tools use for them: the
 * kernel/uname name (as in Alpine's {@code ld-musl-<arch>.so.1}) and the OCI architecture.
 */
public enum ElfMachine {
  I386(3, "i386", "386"),
  X86_64(62, "x86_64", "amd64"),
  ARM(40, "arm", "arm"),
  AARCH64(183, "aarch64", "arm64"),
  PPC(20, "ppc", "ppc"),
  PPC64(21, "ppc64", "ppc64"),
  S390(22, "s390x", "s390x"),
  MIPS(8, "mips", "mips"),
  RISCV(243, "riscv64", "riscv64"),
  LOONGARCH(258, "loongarch64", "loong64");

  private final int code;
  private final String unameName;
  private final String ociArchitecture;

  ElfMachine(int code, String unameName, String ociArchitecture) {
    this.code = code;
    this.unameName = unameName;
    this.ociArchitecture = ociArchitecture;
  }

  public int code() {
    return code;
  }

  /** The name {@code uname -m} would print, e.g. {@code aarch64}. */
  public String unameName() {
    return unameName;
  }

  /** The OCI/Go architecture name, e.g. {@code arm64}. */
  public String ociArchitecture() {
    return ociArchitecture;
  }

  public static Optional<ElfMachine> of(int code) {
    for (ElfMachine m : values()) {
      if (m.code == code) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The machine for an OCI architecture ({@code amd64}, {@code arm64}, ...), if known. */
  public static Optional<ElfMachine> ofOciArchitecture(String arch) {
    for (ElfMachine m : values()) {
      if (m.ociArchitecture.equals(arch)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** A readable name for any code, known or not. */
  public static String describe(int code) {
    return of(code).map(ElfMachine::unameName).orElse("machine " + code);
  }
}
