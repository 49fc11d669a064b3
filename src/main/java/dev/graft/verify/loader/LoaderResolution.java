package dev.graft.verify.loader;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the loader would do for one root: which interpreter, which files, what is missing.
 *
 * @param root the root's resolved path
 * @param rules the loader emulated
 * @param interpreter PT_INTERP as written in the root (empty for shared objects and static files)
 * @param interpreterFound whether that path leads to a regular file in the image
 * @param loaded every object mapped, in load (breadth-first) order; the root first
 * @param names every name a NEEDED entry can be satisfied by (NEEDED names and sonames) → real path
 * @param missing NEEDED names the loader would not find
 * @param inherited how many of the first {@code loaded} objects were in the process before (an addon
 *     dlopen'ed into node: node and its libraries); 0 for a program
 */
public record LoaderResolution(String root, LoaderRules rules, Optional<String> interpreter, boolean interpreterFound,
    List<LoadedObject> loaded, Map<String, String> names, List<MissingLibrary> missing, int inherited) {
  public LoaderResolution(String root, LoaderRules rules, Optional<String> interpreter, boolean interpreterFound,
      List<LoadedObject> loaded, Map<String, String> names, List<MissingLibrary> missing) {
    this(root, rules, interpreter, interpreterFound, loaded, names, missing, 0);
  }

  public LoaderResolution {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(interpreter, "interpreter");
    loaded = List.copyOf(loaded);
    names = Map.copyOf(names);
    missing = List.copyOf(missing);
    if (inherited < 0 || inherited > loaded.size()) {
      throw new IllegalArgumentException("inherited " + inherited + " of " + loaded.size() + " objects");
    }
  }

  /** The objects this load added to the process (all of them for a program): the ones to check. */
  public List<LoadedObject> own() {
    return loaded.subList(inherited, loaded.size());
  }

  /** Whether the loader would start the program (or load the addon) without a missing file. */
  public boolean complete() {
    return (interpreter.isEmpty() || interpreterFound) && missing.isEmpty();
  }

  /** The object a NEEDED name resolves to in this process. */
  public Optional<LoadedObject> byName(String name) {
    String real = names.get(name);
    return real == null ? Optional.empty() : loaded.stream().filter(o -> o.realPath().equals(real)).findFirst();
  }
}
