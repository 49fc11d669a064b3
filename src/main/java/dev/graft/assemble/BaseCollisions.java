package dev.graft.assemble;

import dev.graft.config.ClosureConflicts;
import dev.graft.verify.Finding;
import dev.graft.verify.Severity;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import dev.graft.verify.loader.ClosureLibrary;
import dev.graft.verify.loader.GlibcUnit;
import dev.graft.verify.loader.LibraryCompatibility;
import dev.graft.verify.loader.LibraryDifference;
import dev.graft.verify.loader.Need;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code closure: auto} against the base: the libraries (and loader) a closure would graft at a
 * path where the base already has a file. The base's own programs load that path too, so grafting
 * there is not private to the roots:
 * <ul>
 *   <li>the same bytes: not grafted again (the base provides it);
 *   <li>different: {@link ClosureConflicts} decides, on the final image (a library the base keeps is
 *       judged with the base's copy): the default keeps the base's when it serves what the files that
 *       stay need from it, so the base's programs keep theirs; otherwise it takes the builder's when
 *       no ELF file of the base then breaks (by real symbol binding). glibc is one release: the
 *       default never replaces it (the refusal names the files that need the newer one and the ways
 *       out); {@code conflicts: builder} replaces all of it the builder has, or refuses naming the
 *       programs of the base that would break.
 * </ul>
 * Each decision is said as a finding ({@code CLOSURE_*}) that joins the build's report.
 */
final class BaseCollisions {
  private static final int SHOWN = 5;

  /**
   * @param drop closure paths not to graft (the base's file stays)
   * @param add paths to graft beside the closure's: the rest of glibc, replaced as one release
   * @param notes what was decided and why, one finding per library (identical ones together)
   */
  record Outcome(Set<String> drop, List<String> add, List<Finding> notes) {
    Outcome {
      drop = Set.copyOf(drop);
      add = List.copyOf(add);
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
   * Decided on the final image, to a fixed point: every different library starts as the base's;
   * one whose base copy lacks what the files that stay in the image need from it becomes the
   * builder's, and its needs then count too, until nothing changes. A glibc library that must be
   * the builder's takes the rest of glibc with it (conflicts: builder) or refuses (by default).
   *
   * @throws ClosureConflictException when, by default, neither the base's library nor the
   *     builder's serves both the grafted files and the base's own
   */
  Outcome decide(List<ClosureLibrary> libraries) {
    Map<ClosureLibrary, ResolvedPath> hits = new LinkedHashMap<>();
    for (ClosureLibrary lib : libraries) {
      compat.atBase(lib).ifPresent(r -> hits.put(lib, r));
    }
    if (hits.isEmpty()) {
      return new Outcome(Set.of(), List.of(), List.of());
    }
    willRead.accept(hits.values().stream().map(ResolvedPath::path).toList());
    Set<String> drop = new HashSet<>();
    List<String> same = new ArrayList<>();
    Map<ClosureLibrary, String> differing = new LinkedHashMap<>();
    for (Map.Entry<ClosureLibrary, ResolvedPath> hit : hits.entrySet()) {
      if (compat.sameBytes(hit.getKey().realPath(), hit.getValue().path())) {
        same.add(hit.getKey().loadPath());
        drop.addAll(hit.getKey().paths());
      } else {
        differing.put(hit.getKey(), hit.getValue().path());
      }
    }
    Map<ClosureLibrary, List<Need>> builderSide = new LinkedHashMap<>();
    if (policy == ClosureConflicts.BUILDER) {
      differing.keySet().forEach(l -> builderSide.put(l, List.of()));
    } else if (policy == ClosureConflicts.COMPATIBLE) {
      for (boolean changed = true; changed; ) {
        changed = false;
        Map<String, String> kept = keptBase(differing, builderSide.keySet());
        for (Map.Entry<ClosureLibrary, String> d : differing.entrySet()) {
          if (!builderSide.containsKey(d.getKey())) {
            List<Need> unmet = compat.unmet(d.getKey(), d.getValue(), kept);
            if (!unmet.isEmpty()) {
              builderSide.put(d.getKey(), unmet);
              changed = true;
            }
          }
        }
      }
    }
    Map<String, String> kept = keptBase(differing, builderSide.keySet());
    List<Finding> notes = new ArrayList<>();
    for (Map.Entry<ClosureLibrary, String> d : differing.entrySet()) {
      ClosureLibrary lib = d.getKey();
      if (builderSide.containsKey(lib)) {
        continue;
      }
      drop.addAll(lib.paths());
      String base = "the base's " + lib.loadPath() + describe(d.getValue(), lib.loadPath());
      String ours = " the builder's" + describe(lib.realPath(), lib.loadPath());
      if (policy == ClosureConflicts.BASE) {
        List<Need> unmet = compat.unmet(lib, d.getValue(), kept);
        notes.add(new Finding(Severity.INFO, "CLOSURE_KEEPS_BASE", lib.loadPath(), layer + ": kept " + base
            + " instead of" + ours + " (conflicts: base)" + (unmet.isEmpty() ? "; it has everything the grafted files "
            + "need from it" : ", though it lacks " + shown(unmet) + "; verification judges the grafted files"), ""));
      } else {
        notes.add(new Finding(Severity.INFO, "CLOSURE_KEEPS_BASE", lib.loadPath(), layer + ": kept " + base
            + ", which differs from" + ours + " but has everything the grafted files need from it; the base's own "
            + "programs keep theirs", ""));
      }
    }
    Map<ClosureLibrary, String> swaps = new LinkedHashMap<>();
    builderSide.keySet().forEach(l -> swaps.put(l, differing.get(l)));
    List<ClosureLibrary> glibc = swaps.keySet().stream()
        .filter(l -> GlibcUnit.member(ImagePaths.fileName(l.loadPath()))).toList();
    Map<ClosureLibrary, String> rest = new LinkedHashMap<>();
    if (!glibc.isEmpty()) {
      Set<String> taken = new HashSet<>();
      libraries.forEach(l -> {
        taken.add(l.realPath());
        taken.add(l.loadPath());
      });
      for (ClosureLibrary g : glibc) {
        compat.restOfGlibc(g, swaps.get(g), taken).forEach((l, theirs) -> {
          if (taken.add(l.realPath())) {
            rest.put(l, theirs);
          }
        });
      }
    }
    Map<String, String> replaced = new LinkedHashMap<>();
    swaps.forEach((l, theirs) -> replaced.put(theirs, l.realPath()));
    rest.forEach((l, theirs) -> replaced.put(theirs, l.realPath()));
    // the base's files can only lose what a replaced library of theirs defines and the builder's does not
    boolean loses = replaced.entrySet().stream().anyMatch(e -> !compat.difference(e.getValue(), e.getKey()).lacks().isEmpty());
    Map<String, List<String>> breaks = loses ? compat.breakage(replaced) : Map.of();
    if (!glibc.isEmpty() && policy == ClosureConflicts.COMPATIBLE) {
      throw new ClosureConflictException(glibcRefusal(builderSide, rest, breaks));
    }
    List<String> refusals = new ArrayList<>();
    for (Map.Entry<ClosureLibrary, String> s : swaps.entrySet()) {
      ClosureLibrary lib = s.getKey();
      String theirs = s.getValue();
      List<Need> unmet = builderSide.get(lib);
      LibraryDifference d = compat.difference(lib.realPath(), theirs);
      List<String> users = breaks.getOrDefault(theirs, List.of());
      String ours = " the builder's" + describe(lib.realPath(), lib.loadPath());
      String grafts = layer + ": grafts" + ours + " " + lib.loadPath() + " over the base's" + describe(theirs, lib.loadPath())
          + (unmet.isEmpty() ? " (conflicts: builder)" : ": the base's lacks " + shown(unmet));
      if (users.isEmpty()) {
        notes.add(new Finding(Severity.INFO, "CLOSURE_REPLACES_BASE", lib.loadPath(), grafts + (d.lacks().isEmpty()
            ? "; it defines everything the base's does" + d.extra() + ", so the base's own programs keep working"
            : "; it lacks " + d.lackText() + ", which no ELF file of the base uses"), ""));
      } else if (policy == ClosureConflicts.BUILDER && glibc.isEmpty()) {
        notes.add(new Finding(Severity.WARNING, "CLOSURE_REPLACES_BASE", lib.loadPath(), grafts
            + "; it lacks " + d.lackText() + ", which " + shown(users) + " of the base " + (users.size() == 1 ? "needs" : "need"),
            "those files of the base fail to load unless nothing runs them; 'conflicts: compatible' refuses this"));
      } else {
        refusals.add("closure: auto needs" + ours + " " + lib.loadPath() + (unmet.isEmpty() ? " (conflicts: builder)"
            : ", since the base's " + lib.loadPath() + describe(theirs, lib.loadPath()) + " lacks " + shown(unmet))
            + "; but the builder's lacks " + d.lackText() + ", which " + shown(users) + " of " + baseName
            + (users.size() == 1 ? " needs" : " need"));
      }
    }
    for (Map.Entry<ClosureLibrary, String> r : rest.entrySet()) {
      List<String> users = breaks.getOrDefault(r.getValue(), List.of());
      if (!users.isEmpty()) {
        refusals.add("glibc is one release, so the builder's " + r.getKey().loadPath() + " would replace the base's too; but"
            + " it lacks " + compat.difference(r.getKey().realPath(), r.getValue()).lackText() + ", which " + shown(users)
            + " of " + baseName + (users.size() == 1 ? " needs" : " need"));
      }
    }
    if (!refusals.isEmpty()) {
      throw new ClosureConflictException(String.join("\n", refusals) + (glibc.isEmpty()
          ? "\nNeither library serves both: choose in the layer 'conflicts: base' (keep the base's; verification then"
              + " judges the grafted files against it) or 'conflicts: builder' (graft the builder's anyway), or use a"
              + " builder and base built from the same release."
          : "\nglibc is never half replaced: choose in the layer 'conflicts: base' (keep the base's; verification then"
              + " judges the grafted files against it), or use a builder and base built from the same release."));
    }
    if (!rest.isEmpty()) {
      notes.add(new Finding(Severity.INFO, "CLOSURE_REPLACES_BASE", rest.keySet().iterator().next().loadPath(),
          layer + ": glibc is replaced as one release: also grafts the builder's " + rest.keySet().stream()
              .map(l -> ImagePaths.fileName(l.loadPath())).sorted().collect(Collectors.joining(", "))
              + " over the base's, which no grafted file loads; every ELF file of the base binds against them", ""));
    }
    if (!same.isEmpty()) {
      notes.add(new Finding(Severity.INFO, "CLOSURE_SAME_AS_BASE", same.get(0), layer + ": " + baseName
          + " already has " + (same.size() == 1 ? "this library" : same.size() + " of the closure's libraries")
          + " with the same bytes; not grafted again: " + String.join(", ", same), ""));
    }
    List<String> add = new ArrayList<>();
    rest.keySet().forEach(l -> add.addAll(l.paths()));
    swaps.keySet().forEach(l -> drop.removeAll(l.paths()));
    return new Outcome(drop, add, notes);
  }

  /** The builder's real path → the base's path, for each different library that keeps the base's copy. */
  private static Map<String, String> keptBase(Map<ClosureLibrary, String> differing, Set<ClosureLibrary> builderSide) {
    Map<String, String> out = new HashMap<>();
    differing.forEach((l, theirs) -> {
      if (!builderSide.contains(l)) {
        out.put(l.realPath(), theirs);
      }
    });
    return out;
  }

  /** By default graft does not replace a base's C library: it names what needs the builder's and the ways out. */
  private String glibcRefusal(Map<ClosureLibrary, List<Need>> builderSide, Map<ClosureLibrary, String> rest,
      Map<String, List<String>> breakage) {
    List<String> breaks = breakage.values().stream().flatMap(List::stream).distinct().toList();
    Map<String, List<String>> byFile = new LinkedHashMap<>();
    builderSide.values().forEach(needs -> needs.forEach(n -> byFile.computeIfAbsent(n.neededBy(), k -> new ArrayList<>())
        .add(n.what() + " (" + n.library() + ")")));
    List<String> lines = new ArrayList<>();
    byFile.entrySet().stream()
        .sorted(java.util.Comparator.comparing((Map.Entry<String, List<String>> e) -> builderSide.keySet().stream()
            .anyMatch(l -> l.realPath().equals(e.getKey()))))
        .limit(SHOWN)
        .forEach(e -> lines.add("  " + e.getKey() + " needs " + String.join(", ", e.getValue().subList(0,
            Math.min(8, e.getValue().size()))) + (e.getValue().size() > 8 ? ", ..." : "")));
    String unit = builderSide.size() + rest.size() + " glibc and related libraries";
    String builderWay = breaks.isEmpty()
        ? "set 'conflicts: builder' on the layer to graft the builder's glibc as one release (" + unit + "; every ELF"
            + " file of the base binds against them, though the base's package database still names its own glibc)"
        : "'conflicts: builder' would break " + shown(breaks) + " of " + baseName;
    return layer + ": " + baseName + "'s glibc is older than what these grafted files need:\n"
        + String.join("\n", lines) + "\nclosure: auto does not replace a base's C library unless asked. Build them in a"
        + " builder of the base's release (the same Debian or Ubuntu version), or choose a base at least as new as the"
        + " builder; or " + builderWay + ".";
  }

  /** " (→ libstdc++.so.6.0.30)" when the file has another name than the path it is loaded by. */
  private static String describe(String realPath, String loadPath) {
    String name = ImagePaths.fileName(realPath);
    return name.equals(ImagePaths.fileName(loadPath)) ? "" : " (-> " + name + ")";
  }

  private static String shown(List<?> users) {
    return users.subList(0, Math.min(SHOWN, users.size())).stream().map(String::valueOf)
        .collect(Collectors.joining(", ")) + (users.size() > SHOWN ? " and " + (users.size() - SHOWN) + " more" : "");
  }
}
