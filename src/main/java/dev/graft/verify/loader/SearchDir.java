package dev.graft.verify.loader;

import java.util.Objects;

/** One directory of a loader's search path, with the rule that put it there (for messages). */
public record SearchDir(String dir, String rule) {
  public SearchDir {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(rule, "rule");
  }

  @Override
  public String toString() {
    return dir + " (" + rule + ")";
  }
}
