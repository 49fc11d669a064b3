package dev.graft.npm;

import java.util.Locale;
import java.util.Optional;

/** The C library a package's {@code libc} field names (npm's spelling: glibc, musl). */
public enum Libc {
  GLIBC,
  MUSL;

  /** The name as npm's {@code libc} field and {@code --libc} flag write it. */
  public String npmName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Libc> ofNpmName(String s) {
    return switch (s) {
      case "glibc" -> Optional.of(GLIBC);
      case "musl" -> Optional.of(MUSL);
      default -> Optional.empty();
    };
  }

  /**
   * The libc whose dynamic loader an ELF interpreter path names ({@code /lib/ld-musl-x86_64.so.1}
   * is musl, {@code /lib64/ld-linux-x86-64.so.2} and {@code /lib/ld-linux-aarch64.so.1} glibc).
   */
  public static Optional<Libc> ofInterpreter(String ptInterp) {
    String name = ptInterp.substring(ptInterp.lastIndexOf('/') + 1);
    if (name.startsWith("ld-musl-")) {
      return Optional.of(MUSL);
    }
    if (name.startsWith("ld-linux") || name.startsWith("ld.so") || name.startsWith("ld64.so")) {
      return Optional.of(GLIBC);
    }
    return Optional.empty();
  }
}
