package dev.graft.config;

/**
 * Whether a layer also carries the shared-library closure of the ELF files it selects (their
 * NEEDED libraries, transitively, and the program interpreter), taken from the same source image
 * and kept at their paths there.
 */
public enum ClosureMode {
  AUTO,
  OFF;

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
