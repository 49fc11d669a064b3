package dev.graft.npm;

import java.util.Locale;
import java.util.Optional;

/** A dependency kind {@code npm ci --omit} leaves out. */
public enum Omit {
  DEV,
  OPTIONAL,
  PEER;

  public String npmName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Omit> ofNpmName(String s) {
    return switch (s) {
      case "dev" -> Optional.of(DEV);
      case "optional" -> Optional.of(OPTIONAL);
      case "peer" -> Optional.of(PEER);
      default -> Optional.empty();
    };
  }
}
