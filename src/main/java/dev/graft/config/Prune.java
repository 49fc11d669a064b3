package dev.graft.config;

import java.util.Locale;

/**
 * {@code prune}: whether a layer's node_modules lose what the target never loads (prebuilds for
 * other os/cpu/libc). Default {@code platform} for {@code from: npm}, {@code off} elsewhere.
 */
public enum Prune {
  OFF,
  PLATFORM;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
