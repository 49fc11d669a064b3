package dev.graft.verify.node;

import dev.graft.elf.ElfMachine;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.Libc;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform as npm names it ({@code process.platform}, {@code process.arch}, libc) for
 * package.json {@code os}/{@code cpu}/{@code libc} fields and platform package names.
 */
public record NpmPlatform(String os, String cpu, Libc libc, String armVersion) {
  public static final List<String> OS_NAMES = List.of("linux", "darwin", "win32", "freebsd", "openbsd", "netbsd", "sunos",
      "aix", "android", "openharmony", "linuxmusl", "linuxglibc");
  static final List<String> CPU_NAMES = List.of("x64", "arm64", "arm", "ia32", "ppc64", "s390x", "riscv64",
      "loong64", "mips64el", "x86_64", "aarch64", "armv7", "armhf");

  public NpmPlatform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(libc, "libc");
  }

  /** With the image's libc: musl when it only has musl's loader (no node binary to ask). */
  public static NpmPlatform of(ImageContext ctx) {
    return of(ctx, Optional.empty());
  }

  /**
   * @param processLibc the node binary's libc: what npm, and packages that pick their platform
   *     package at run time (process.report's glibcVersionRuntime), go by; else the image's
   */
  public static NpmPlatform of(ImageContext ctx, Optional<Libc> processLibc) {
    ElfMachine m = ctx.identity().machine();
    String cpu = switch (m) {
      case X86_64 -> "x64";
      case AARCH64 -> "arm64";
      case ARM -> "arm";
      case I386 -> "ia32";
      case LOONGARCH -> "loong64";
      default -> m.ociArchitecture();
    };
    Libc libc = processLibc.orElse(
        ctx.libcs().contains(Libc.MUSL) && !ctx.libcs().contains(Libc.GLIBC) ? Libc.MUSL : Libc.GLIBC);
    String armv = m == ElfMachine.ARM ? (ctx.platform().variant() == null ? "7"
        : ctx.platform().variant().replace("v", "")) : null;
    return new NpmPlatform("linux", cpu, libc, armv);
  }

  /** npm's rule for {@code os}/{@code cpu}/{@code libc} lists: "!x" excludes, plain entries allow only themselves. */
  public static boolean allows(List<String> list, String value) {
    if (list.isEmpty()) {
      return true;
    }
    if (list.contains("!" + value)) {
      return false;
    }
    List<String> positive = list.stream().filter(s -> !s.startsWith("!")).toList();
    return positive.isEmpty() || positive.contains(value);
  }

  /** Cpu/os words of the other platforms, to tell a path or name meant for another platform. */
  public boolean namesOtherPlatform(String word) {
    String w = word.toLowerCase();
    if (OS_NAMES.contains(w)) {
      return !w.startsWith("linux") || (w.equals("linuxmusl") && libc != Libc.MUSL)
          || (w.equals("linuxglibc") && libc != Libc.GLIBC);
    }
    if (CPU_NAMES.contains(w)) {
      return !w.equals(cpu) && !(cpu.equals("x64") && w.equals("x86_64"))
          && !(cpu.equals("arm64") && w.equals("aarch64")) && !(cpu.equals("arm") && (w.equals("armv7") || w.equals("armhf")));
    }
    return false;
  }

  @Override
  public String toString() {
    return os + "-" + cpu + " (" + libc.displayName() + ")";
  }
}
