package dev.graft.verify.loader;

import java.util.List;
import java.util.Objects;

/**
 * A NEEDED library the loader would not find.
 *
 * @param name the NEEDED name
 * @param neededBy path of the object that needs it
 * @param searched the directories searched, in order, each with the rule it came from
 * @param rejected candidates found but refused (wrong machine/class, not ELF), with the reason
 */
public record MissingLibrary(String name, String neededBy, List<String> searched, List<String> rejected) {
  public MissingLibrary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(neededBy, "neededBy");
    searched = List.copyOf(searched);
    rejected = List.copyOf(rejected);
  }
}
