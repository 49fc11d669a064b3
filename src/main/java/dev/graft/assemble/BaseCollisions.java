package dev.graft.assemble;

import dev.graft.config.ClosureConflicts;
import dev.graft.verify.Finding;
import dev.graft.verify.Severity;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import dev.graft.verify.loader.ClosureLibrary;
import dev.graft.verify.loader.LibraryCompatibility;
import dev.graft.verify.loader.LibraryDifference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code closure: auto} against the base: the libraries (and loader) a closure would graft at a
 * path where the base already has a file. The base's own programs load that path too, so grafting
 * there is not private to the roots:
 * <ul>
 *   <li>the same bytes: not grafted again (the base provides it);
 *   <li>different: {@link ClosureConflicts} decides. The default keeps the base's when it has
 *       everything the closure's files need from it (symbol versions, symbols), so the base's
 *       programs keep theirs. Otherwise it takes the builder's when the base's files keep working
 *       with it: it defines every version and symbol the base's does, or at least every one some
 *       ELF file of the base needs (musl 1.2.3 replacing 1.2.2 is an upgrade); failing both, the
 *       build is refused, naming the library, what each side lacks and who needs it.
 * </ul>
 * Each decision is said as a finding ({@code CLOSURE_*}) that joins the build's report.
 */
final class BaseCollisions {
  private static final int SHOWN = 5;

  /**
   * @param drop closure paths not to graft (the base's file stays)
   * @param notes what was decided and why, one finding per library (identical ones together)
   */
  record Outcome(Set<String> drop, List<Finding> notes) {
    Outcome {
      drop = Set.copyOf(drop);
      notes = List.copyOf(notes);
    }
  }

  private final LibraryCompatibility compat;
  private final ClosureConflicts policy;
  private final String layer;
  private final String baseName;
  private final Consumer<Collection<String>> willRead;

  /**
   * @param compat compares the closure's libraries with the base's (the ELF analysis)
   * @param layer the layer, for messages ("layer 'node' (graft.yaml:12)")
   * @param willRead told which base files are about to be read, so they can be fetched in one pass
   */
  BaseCollisions(LibraryCompatibility compat, ClosureConflicts policy, String layer, String baseName,
      Consumer<Collection<String>> willRead) {
    this.compat = compat;
    this.policy = policy;
    this.layer = layer;
    this.baseName = baseName;
    this.willRead = willRead;
  }

  /**
   * @throws ClosureConflictException when, by default, neither the base's library nor the
   *     builder's serves both the grafted files and the base's own
   */
  Outcome decide(List<ClosureLibrary> libraries) {
    Map<ClosureLibrary, ResolvedPath> hits = new LinkedHashMap<>();
    for (ClosureLibrary lib : libraries) {
      compat.atBase(lib).ifPresent(r -> hits.put(lib, r));
    }
    if (hits.isEmpty()) {
      return new Outcome(Set.of(), List.of());
    }
    willRead.accept(hits.values().stream().map(ResolvedPath::path).toList());
    Set<String> drop = new HashSet<>();
    Set<String> keep = new HashSet<>();
    List<String> same = new ArrayList<>();
    List<Finding> notes = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (Map.Entry<ClosureLibrary, ResolvedPath> hit : hits.entrySet()) {
      ClosureLibrary lib = hit.getKey();
      String theirs = hit.getValue().path();
      if (compat.sameBytes(lib.realPath(), theirs)) {
        same.add(lib.loadPath());
        drop.addAll(lib.paths());
        continue;
      }
      String ours = " the builder's" + describe(lib.realPath(), lib.loadPath());
      String base = "the base's " + lib.loadPath() + describe(theirs, lib.loadPath());
      // what the closure's own files need from this library that the base's lacks
      List<String> unmet = compat.unmet(lib, theirs);
      if (policy == ClosureConflicts.BASE) {
        drop.addAll(lib.paths());
        notes.add(new Finding(Severity.INFO, "CLOSURE_KEEPS_BASE", lib.loadPath(), layer + ": kept " + base
            + " instead of" + ours + " (conflicts: base)" + (unmet.isEmpty() ? "; it has everything the grafted files "
            + "need from it" : ", though it lacks " + shown(unmet) + "; verification judges the grafted files"), ""));
        continue;
      }
      if (unmet.isEmpty() && policy == ClosureConflicts.COMPATIBLE) {
        drop.addAll(lib.paths());
        notes.add(new Finding(Severity.INFO, "CLOSURE_KEEPS_BASE", lib.loadPath(), layer + ": kept " + base
            + ", which differs from" + ours + " but has everything the grafted files need from it; the base's own "
            + "programs keep theirs", ""));
        continue;
      }
      String why = unmet.isEmpty() ? " (conflicts: builder)" : ": the base's lacks " + shown(unmet);
      LibraryDifference d = compat.difference(lib.realPath(), theirs);
      List<String> users = d.lacks().isEmpty() ? List.of() : compat.users(lib, theirs, d);
      keep.addAll(lib.paths());
      String grafts = layer + ": grafts" + ours + " " + lib.loadPath() + " over the base's" + describe(theirs, lib.loadPath())
          + why;
      if (d.lacks().isEmpty()) {
        notes.add(new Finding(Severity.INFO, "CLOSURE_REPLACES_BASE", lib.loadPath(), grafts
            + "; it defines everything the base's does" + d.extra() + ", so the base's own programs keep working", ""));
      } else if (users.isEmpty()) {
        notes.add(new Finding(Severity.INFO, "CLOSURE_REPLACES_BASE", lib.loadPath(), grafts
            + "; it lacks " + d.lackText() + ", which no ELF file of the base uses", ""));
      } else if (policy == ClosureConflicts.BUILDER) {
        notes.add(new Finding(Severity.WARNING, "CLOSURE_REPLACES_BASE", lib.loadPath(), grafts
            + "; it lacks " + d.lackText() + ", which " + shown(users) + " of the base "
            + (users.size() == 1 ? "needs" : "need"),
            "those files of the base fail to load unless nothing runs them; 'conflicts: compatible' refuses this"));
      } else {
        refusals.add("closure: auto needs" + ours + " " + lib.loadPath() + ", since " + base + " lacks "
            + shown(unmet) + "; but the builder's lacks " + d.lackText() + ", which " + shown(users) + " of "
            + baseName + (users.size() == 1 ? " needs" : " need"));
      }
    }
    if (!refusals.isEmpty()) {
      throw new ClosureConflictException(String.join("\n", refusals) + "\nNeither library serves both: choose in the "
          + "layer 'conflicts: base' (keep the base's; verification then judges the grafted files against it) or "
          + "'conflicts: builder' (graft the builder's anyway), or use a builder and base built from the same release.");
    }
    if (!same.isEmpty()) {
      notes.add(new Finding(Severity.INFO, "CLOSURE_SAME_AS_BASE", same.get(0), layer + ": " + baseName
          + " already has " + (same.size() == 1 ? "this library" : same.size() + " of the closure's libraries")
          + " with the same bytes; not grafted again: " + String.join(", ", same), ""));
    }
    drop.removeAll(keep);
    return new Outcome(drop, notes);
  }

  /** " (→ libstdc++.so.6.0.30)" when the file has another name than the path it is loaded by. */
  private static String describe(String realPath, String loadPath) {
    String name = ImagePaths.fileName(realPath);
    return name.equals(ImagePaths.fileName(loadPath)) ? "" : " (-> " + name + ")";
  }

  private static String shown(List<String> users) {
    return String.join(", ", users.subList(0, Math.min(SHOWN, users.size())))
        + (users.size() > SHOWN ? " and " + (users.size() - SHOWN) + " more" : "");
  }
}
