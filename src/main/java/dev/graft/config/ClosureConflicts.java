package dev.graft.config;

/**
 * What {@code closure: auto} does with a library the base already has, different, at the path the
 * loader opens (the base's own programs load that file too). A byte-identical one is never grafted
 * again, whatever the choice.
 */
public enum ClosureConflicts {
  /**
   * The default: take the builder's library where the base's own files keep working with it (it
   * defines every symbol and version of the base's that a file of the base uses); refuse the build
   * otherwise, naming the library, what it lacks and who needs it.
   */
  COMPATIBLE,
  /** Take the builder's library wherever it differs; say what the base's files lose. */
  BUILDER,
  /** Keep the base's library wherever it has one; verification then judges the roots against it. */
  BASE;

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
