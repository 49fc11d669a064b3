package dev.graft.assemble;

import dev.graft.config.ClosureConflicts;
import dev.graft.elf.DynamicSymbols;
import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.oci.Digest;
import dev.graft.verify.ClosureLibrary;
import dev.graft.verify.ElfCache;
import dev.graft.verify.Finding;
import dev.graft.verify.ImageFiles;
import dev.graft.verify.ImagePaths;
import dev.graft.verify.ResolvedPath;
import dev.graft.verify.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
  /** Files of the base scanned at most when looking for users of a library (a guard, far above real images). */
  static final int MAX_SCANNED = 200_000;
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

  private final ElfCache builder;
  private final ImageFiles base;
  private final ElfCache baseElfs;
  private final ClosureConflicts policy;
  private final String layer;
  private final String baseName;
  private final Supplier<List<String>> baseCandidates;
  private final Consumer<Collection<String>> willRead;
  private final List<String> closureFiles;

  /**
   * @param builder the builder's files (the closure's libraries are read from here)
   * @param base the base's files
   * @param layer the layer, for messages ("layer 'node' (graft.yaml:12)")
   * @param baseCandidates the base's regular files that may be ELF (executable or {@code *.so*}),
   *     scanned for users of a library only when a conflict needs it
   * @param willRead told which base files are about to be read, so they can be fetched in one pass
   * @param closureFiles the closure's regular files in the builder (roots and libraries): the ones
   *     that load a library say what is needed of it
   */
  BaseCollisions(ElfCache builder, ImageFiles base, ClosureConflicts policy, String layer, String baseName, Supplier<List<String>> baseCandidates, Consumer<Collection<String>> willRead,
      List<String> closureFiles) {
    this.closureFiles = List.copyOf(closureFiles);
    this.builder = builder;
    this.base = base;
    this.baseElfs = new ElfCache(base);
    this.policy = policy;
    this.layer = layer;
    this.baseName = baseName;
    this.baseCandidates = baseCandidates;
    this.willRead = willRead;
  }

  /**
   * @throws ClosureConflictException when, by default, neither the base's library nor the
   *     builder's serves both the grafted files and the base's own
   */
  Outcome decide(List<ClosureLibrary> libraries) {
    Map<ClosureLibrary, ResolvedPath> hits = new LinkedHashMap<>();
    for (ClosureLibrary lib : libraries) {
      atBase(lib).ifPresent(r -> hits.put(lib, r));
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
      if (sameBytes(lib.realPath(), theirs)) {
        same.add(lib.loadPath());
        drop.addAll(lib.paths());
        continue;
      }
      String ours = " the builder's" + describe(lib.realPath(), lib.loadPath());
      String base = "the base's " + lib.loadPath() + describe(theirs, lib.loadPath());
      // what the closure's own files need from this library that the base's lacks
      List<String> unmet = unmet(lib, theirs);
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
      Difference d = difference(lib.realPath(), theirs);
      List<String> users = d.lacks().isEmpty() ? List.of() : users(lib, theirs, d);
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

  /**
   * What the closure's files that load this library need from it (symbol versions they name for it,
   * and the symbols the builder's copy gives them) and the base's copy lacks: "pthread_getname_np
   * (needed by /usr/local/bin/getname)". Empty: the base's serves them as well.
   */
  private List<String> unmet(ClosureLibrary lib, String theirs) {
    ElfFile mine;
    ElfFile other;
    try {
      if (!baseElfs.isElf(theirs)) {
        return List.of("everything (the base's is not an ELF file)");
      }
      mine = builder.get(lib.realPath());
      other = baseElfs.get(theirs);
    } catch (ElfFormatException e) {
      return List.of(e.getMessage());
    }
    Set<String> names = new HashSet<>();
    names.add(ImagePaths.fileName(lib.loadPath()));
    mine.soname().ifPresent(names::add);
    Set<String> ourSymbols = builder.symbols(lib.realPath()).defined();
    Set<String> theirSymbols = baseElfs.symbols(theirs).defined();
    Set<String> theirVersions = new HashSet<>(other.versionDefs());
    Set<String> out = new java.util.LinkedHashSet<>();
    for (String user : closureFiles) {
      if (user.equals(lib.realPath()) || !builder.isElf(user)) {
        continue;
      }
      ElfFile e = builder.get(user);
      boolean loads = e.needed().stream().anyMatch(names::contains) || e.interpreter() // musl: the loader is libc
          .flatMap(i -> ImagePaths.resolve(builder.files(), i)).map(r -> r.path().equals(lib.realPath())).orElse(false);
      if (!loads) {
        continue;
      }
      for (Map.Entry<String, List<String>> vn : e.versionNeeds().entrySet()) {
        if (names.contains(vn.getKey())) {
          vn.getValue().stream().filter(v -> !theirVersions.contains(v)).forEach(v -> out.add(v + " (needed by " + user + ")"));
        }
      }
      builder.symbols(user).undefinedStrong().stream().filter(ourSymbols::contains).filter(x -> !theirSymbols.contains(x))
          .forEach(x -> out.add(x + " (needed by " + user + ")"));
    }
    return List.copyOf(out);
  }

  /** The base's regular file where the loader opens the library, else at one of the paths grafting it adds. */
  private Optional<ResolvedPath> atBase(ClosureLibrary lib) {
    Optional<ResolvedPath> r = ImagePaths.resolve(base, lib.loadPath()).filter(x -> x.entry().isFile());
    for (String p : lib.paths()) {
      if (r.isPresent()) {
        break;
      }
      r = ImagePaths.resolve(base, p).filter(x -> x.entry().isFile());
    }
    return r;
  }

  /** " (→ libstdc++.so.6.0.30)" when the file has another name than the path it is loaded by. */
  private static String describe(String realPath, String loadPath) {
    String name = ImagePaths.fileName(realPath);
    return name.equals(ImagePaths.fileName(loadPath)) ? "" : " (-> " + name + ")";
  }

  private boolean sameBytes(String ours, String theirs) {
    long a = builder.files().lstat(ours).map(ImageFiles.Entry::size).orElse(-1L);
    long b = base.lstat(theirs).map(ImageFiles.Entry::size).orElse(-2L);
    return a == b && Arrays.equals(sha256(builder.files(), ours), sha256(base, theirs));
  }

  private static byte[] sha256(ImageFiles files, String path) {
    MessageDigest md = Digest.newSha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = files.open(path)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return md.digest();
  }

  /**
   * What the base's library defines that the builder's does not (symbol versions, then symbols),
   * and how much more the builder's defines.
   */
  record Difference(List<String> lackVersions, List<String> lackSymbols, int moreVersions, int moreSymbols,
      Optional<String> soname) {
    List<String> lacks() {
      List<String> out = new ArrayList<>(lackVersions);
      out.addAll(lackSymbols);
      return out;
    }

    String lackText() {
      List<String> all = lacks();
      String kinds = lackVersions.isEmpty() ? "symbol" : lackSymbols.isEmpty() ? "version" : "version/symbol";
      return String.join(", ", all.subList(0, Math.min(SHOWN, all.size())))
          + (all.size() > SHOWN ? " and " + (all.size() - SHOWN) + " more" : "")
          + " (" + all.size() + " " + kinds + (all.size() == 1 ? "" : "s") + " the base's defines)";
    }

    String extra() {
      if (moreVersions == 0 && moreSymbols == 0) {
        return "";
      }
      return " and " + (moreVersions > 0 ? moreVersions + " version(s)" + (moreSymbols > 0 ? ", " : "") : "")
          + (moreSymbols > 0 ? moreSymbols + " symbol(s)" : "") + " more";
    }
  }

  private Difference difference(String ours, String theirs) {
    ElfFile mine;
    ElfFile other;
    try {
      if (!baseElfs.isElf(theirs)) {
        return new Difference(List.of(), List.of(), 0, 0, Optional.empty()); // nothing loads it as a library
      }
      other = baseElfs.get(theirs);
      mine = builder.get(ours);
    } catch (ElfFormatException e) {
      return new Difference(List.of(), List.of(e.getMessage()), 0, 0, Optional.empty());
    }
    Set<String> myVersions = new HashSet<>(mine.versionDefs());
    List<String> lackV = other.versionDefs().stream().filter(v -> !myVersions.contains(v)).sorted().toList();
    DynamicSymbols mySyms = builder.symbols(ours);
    DynamicSymbols theirSyms = baseElfs.symbols(theirs);
    List<String> lackS = new TreeSet<>(theirSyms.defined()).stream().filter(s -> !mySyms.defined().contains(s)).toList();
    int moreV = (int) mine.versionDefs().stream().filter(v -> !other.versionDefs().contains(v)).count();
    int moreS = (int) mySyms.defined().stream().filter(s -> !theirSyms.defined().contains(s)).count();
    return new Difference(lackV, lackS, moreV, moreS, other.soname());
  }

  /** ELF files of the base that load the library and need something the builder's lacks, with what. */
  private List<String> users(ClosureLibrary lib, String theirs, Difference d) {
    List<String> candidates = baseCandidates.get();
    if (candidates.size() > MAX_SCANNED) {
      candidates = candidates.subList(0, MAX_SCANNED);
    }
    willRead.accept(candidates);
    Set<String> names = new HashSet<>();
    names.add(ImagePaths.fileName(lib.loadPath()));
    names.add(ImagePaths.fileName(theirs));
    d.soname().ifPresent(names::add);
    Set<String> lackV = new HashSet<>(d.lackVersions());
    Set<String> lackS = new HashSet<>(d.lackSymbols());
    List<String> out = new ArrayList<>();
    for (String p : candidates) {
      if (p.equals(theirs) || !baseElfs.isElf(p)) {
        continue;
      }
      ElfFile e;
      try {
        e = baseElfs.get(p);
      } catch (ElfFormatException ex) {
        continue;
      }
      boolean loads = e.needed().stream().anyMatch(names::contains)
          || e.interpreter().flatMap(i -> ImagePaths.resolve(base, i)).map(r -> r.path().equals(theirs)).orElse(false);
      if (!loads) {
        continue;
      }
      List<String> needs = new ArrayList<>();
      for (Map.Entry<String, List<String>> vn : e.versionNeeds().entrySet()) {
        if (names.contains(vn.getKey())) {
          vn.getValue().stream().filter(lackV::contains).forEach(needs::add);
        }
      }
      if (!lackS.isEmpty()) {
        baseElfs.symbols(p).undefinedStrong().stream().filter(lackS::contains).forEach(needs::add);
      }
      if (!needs.isEmpty()) {
        out.add(p + " (" + String.join(", ", needs.subList(0, Math.min(3, needs.size())))
            + (needs.size() > 3 ? ", ..." : "") + ")");
      }
    }
    return out;
  }

  private static String shown(List<String> users) {
    return String.join(", ", users.subList(0, Math.min(SHOWN, users.size())))
        + (users.size() > SHOWN ? " and " + (users.size() - SHOWN) + " more" : "");
  }
}
