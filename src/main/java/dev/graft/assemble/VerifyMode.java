package dev.graft.assemble;

import java.util.Locale;

/** What a build does with verification errors: refuse to write (strict), report them (warn), or skip checks (off). */
public enum VerifyMode {
  STRICT,
  WARN,
  OFF;

  public static VerifyMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--verify must be strict, warn or off, got '" + s + "'");
    }
  }
}
