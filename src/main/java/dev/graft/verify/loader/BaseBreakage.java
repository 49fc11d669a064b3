package dev.graft.verify.loader;

import dev.graft.elf.DynamicSymbols;
import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImagePaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which ELF files of a base stop loading when some of its libraries are replaced by a builder's,
 * by real binding: a symbol version a file names for a replaced library that the new one does not
 * define, or a symbol (at the version the reference asks for) that a replaced library served and
 * that neither the new copies nor the other libraries the file loads serve. Then, to a fixed point,
 * whoever loads a broken library: bullseye's librt, given bookworm's libpthread, lacks
 * {@code __pthread_unwind@GLIBC_PRIVATE}, so {@code /usr/bin/timeout}, which loads librt, breaks.
 * A name used but served elsewhere ({@code __errno_location} from libc) breaks nothing.
 */
final class BaseBreakage {
  /**
   * One file of the base that stops loading.
   *
   * @param file its path in the base
   * @param why what it needs ("klogctl", "GLIBC_2.36 (libc.so.6)") or "via librt.so.1"
   * @param from the base paths of the replaced libraries it loses something of (for a file broken
   *     through another, that one's)
   */
  record Broken(String file, String why, Set<String> from) {
    @Override
    public String toString() {
      return file + " (" + why + ")";
    }
  }

  private static final int MAX_ROUNDS = 16;
  private static final int SHOWN_NEEDS = 3;

  private final ElfCache builder;
  private final ElfCache base;
  private final Map<String, String> swapped; // base path -> builder path
  private final Map<String, String> byName = new LinkedHashMap<>(); // load name or soname -> base path
  private final Set<String> dirs = new HashSet<>();

  BaseBreakage(ElfCache builder, ElfCache base, Map<String, String> swapped) {
    this.builder = builder;
    this.base = base;
    this.swapped = Map.copyOf(swapped);
    for (String theirs : swapped.keySet()) {
      dirs.add(ImagePaths.parent(theirs));
      byName.put(ImagePaths.fileName(theirs), theirs);
      if (base.isElf(theirs)) {
        base.get(theirs).soname().ifPresent(n -> byName.put(n, theirs));
      }
    }
  }

  /** Each broken file, programs first: directly broken ones with what they need, then those that load one. */
  List<Broken> of(List<String> candidates) {
    Map<String, Broken> broken = new LinkedHashMap<>();
    List<ElfFile> elfs = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (String p : candidates) {
      if (swapped.containsKey(p) || !base.isElf(p)) {
        continue;
      }
      try {
        elfs.add(base.get(p));
        paths.add(p);
      } catch (ElfFormatException e) {
        // not loadable as it is: nothing to lose
      }
    }
    for (int i = 0; i < elfs.size(); i++) {
      Set<String> from = new java.util.TreeSet<>();
      List<String> needs = direct(paths.get(i), elfs.get(i), from);
      if (!needs.isEmpty()) {
        broken.put(paths.get(i), new Broken(paths.get(i), String.join(", ", needs.subList(0,
            Math.min(SHOWN_NEEDS, needs.size()))) + (needs.size() > SHOWN_NEEDS ? ", ..." : ""), from));
      }
    }
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Map<String, Broken> names = new LinkedHashMap<>();
      for (Broken b : broken.values()) {
        names.put(ImagePaths.fileName(b.file()), b);
        base.get(b.file()).soname().ifPresent(n -> names.put(n, b));
      }
      boolean more = false;
      for (int i = 0; i < elfs.size(); i++) {
        if (broken.containsKey(paths.get(i))) {
          continue;
        }
        Optional<String> via = elfs.get(i).needed().stream().filter(names::containsKey).findFirst();
        if (via.isPresent()) {
          broken.put(paths.get(i), new Broken(paths.get(i), "via " + via.get(), names.get(via.get()).from()));
          more = true;
        }
      }
      if (!more) {
        break;
      }
    }
    List<Broken> out = new ArrayList<>(broken.values());
    out.sort(java.util.Comparator.comparing((Broken b) -> b.file().contains(".so"))); // programs: what people run
    return out;
  }

  private List<String> direct(String path, ElfFile e, Set<String> from) {
    List<String> loaded = e.needed().stream().filter(byName::containsKey).map(byName::get).toList();
    Optional<String> interp = e.interpreter().flatMap(i -> ImagePaths.resolve(base.files(), i)).map(r -> r.path())
        .filter(swapped::containsKey);
    if (loaded.isEmpty() && interp.isEmpty()) {
      return List.of();
    }
    List<String> needs = new ArrayList<>();
    for (Map.Entry<String, List<String>> vn : e.versionNeeds().entrySet()) {
      String theirs = byName.get(vn.getKey());
      if (theirs == null) {
        continue;
      }
      Set<String> defs = new HashSet<>(builder.get(swapped.get(theirs)).versionDefs());
      vn.getValue().stream().filter(v -> !defs.contains(v)).forEach(v -> {
        needs.add(v + " (" + vn.getKey() + ")");
        from.add(theirs);
      });
    }
    List<String> replaced = new ArrayList<>(loaded);
    interp.ifPresent(replaced::add);
    List<DynamicSymbols> now = new ArrayList<>();
    replaced.forEach(t -> now.add(builder.symbols(swapped.get(t))));
    for (String n : e.needed()) { // the file's other libraries, as the base has them
      if (!byName.containsKey(n)) {
        for (String d : dirs) {
          ImagePaths.resolve(base.files(), ImagePaths.join(d, n)).filter(r -> r.entry().isFile())
              .filter(r -> base.isElf(r.path())).ifPresent(r -> now.add(base.symbols(r.path())));
        }
      }
    }
    DynamicSymbols refs = base.symbols(path);
    for (String x : refs.undefinedStrong()) {
      String v = refs.versionOf(x).orElse(null);
      Optional<String> before = replaced.stream().filter(t -> base.symbols(t).serves(x, v)).findFirst();
      if (before.isPresent() && now.stream().noneMatch(s -> s.serves(x, v))) {
        needs.add(v == null ? x : x + "@" + v);
        from.add(before.get());
      }
    }
    return needs;
  }
}
