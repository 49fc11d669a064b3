package dev.graft.verify.loader;

import dev.graft.elf.DynamicSymbols;
import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.oci.Digest;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a library a closure takes from the builder compares with the file the base has where the
 * loader opens it, read from the ELF files themselves (version definitions and needs, defined and
 * undefined strong symbols), not from version numbers, so a library of another distribution
 * compares as well as a newer one: same bytes or not, what the closure's files need from it that
 * the base's lacks, what the base's defines that the builder's does not, and which ELF files of the
 * base need that. What to do about a difference is the caller's policy.
 */
public final class LibraryCompatibility {
  /** Files of the base scanned at most when looking for users of a library (a guard, far above real images). */
  public static final int MAX_SCANNED = 200_000;

  private final ElfCache builder;
  private final ImageFiles base;
  private final ElfCache baseElfs;
  private final Supplier<List<String>> baseCandidates;
  private final Consumer<Collection<String>> willRead;
  private final List<String> closureFiles;

  /**
   * @param builder the builder's files (the closure's libraries are read from here)
   * @param base the base's files
   * @param baseCandidates the base's regular files that may be ELF (executable or {@code *.so*}),
   *     scanned for users of a library only when a difference needs it
   * @param willRead told which base files are about to be read, so they can be fetched in one pass
   * @param closureFiles the closure's regular files in the builder (roots and libraries): the ones
   *     that load a library say what is needed of it
   */
  public LibraryCompatibility(ElfCache builder, ImageFiles base, Supplier<List<String>> baseCandidates,
      Consumer<Collection<String>> willRead, List<String> closureFiles) {
    this.builder = builder;
    this.base = base;
    this.baseElfs = builder.of(base); // the verification of the same build finds these parses
    this.baseCandidates = baseCandidates;
    this.willRead = willRead;
    this.closureFiles = List.copyOf(closureFiles);
  }

  /**
   * What the closure's files in the final image that load this library need from it (symbol
   * versions they name for it, and symbols the builder's copy serves them, by glibc's binding rule)
   * and the base's copy lacks, where no other library of the final image serves them either. The
   * final image keeps the base's copy of each library in {@code keptBase}: those builder files are
   * dropped, so what they would need counts for nothing (bookworm's libgcc_s must not force a newer libc).
   *
   * @param keptBase the builder's real path → the base's path, for each library the base's copy replaces
   */
  public List<Need> unmet(ClosureLibrary lib, String theirs, Map<String, String> keptBase) {
    String libName = ImagePaths.fileName(lib.loadPath());
    ElfFile mine;
    ElfFile other;
    try {
      if (!baseElfs.isElf(theirs)) {
        return List.of(new Need("everything (the base's is not an ELF file)", libName, lib.neededBy()));
      }
      mine = builder.get(lib.realPath());
      other = baseElfs.get(theirs);
    } catch (ElfFormatException e) {
      return List.of(new Need(e.getMessage(), libName, lib.neededBy()));
    }
    Set<String> names = new HashSet<>();
    names.add(libName);
    mine.soname().ifPresent(names::add);
    DynamicSymbols ours = builder.symbols(lib.realPath());
    DynamicSymbols theirSymbols = baseElfs.symbols(theirs);
    Set<String> theirVersions = new HashSet<>(other.versionDefs());
    Set<Need> out = new LinkedHashSet<>();
    for (String user : closureFiles) {
      if (user.equals(lib.realPath()) || keptBase.containsKey(user) || !builder.isElf(user)) {
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
          vn.getValue().stream().filter(v -> !theirVersions.contains(v)).forEach(v -> out.add(new Need(v, libName, user)));
        }
      }
      DynamicSymbols refs = builder.symbols(user);
      for (String x : refs.undefinedStrong()) {
        String v = refs.versionOf(x).orElse(null);
        if (ours.serves(x, v) && !theirSymbols.serves(x, v) && !servedElsewhere(x, v, lib.realPath(), keptBase)) {
          out.add(new Need(v == null ? x : x + "@" + v, libName, user));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Whether a library of the final image other than {@code except} serves the reference. */
  private boolean servedElsewhere(String name, String version, String except, Map<String, String> keptBase) {
    for (String f : closureFiles) {
      if (f.equals(except)) {
        continue;
      }
      String kept = keptBase.get(f);
      ElfCache from = kept == null ? builder : baseElfs;
      String path = kept == null ? f : kept;
      if (from.isElf(path) && from.symbols(path).serves(name, version)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The rest of glibc beside a member the closure replaces: each glibc library the base has in that
   * member's directory and the builder has at the same load path (librt, libutil, libnss_*, … that
   * no grafted file loads), with the base's path; so glibc is replaced as one release. What the
   * builder lacks stays the base's (and {@link BaseBreakage} says who that breaks).
   */
  public Map<ClosureLibrary, String> restOfGlibc(ClosureLibrary member, String theirs, Set<String> taken) {
    Map<ClosureLibrary, String> out = new java.util.LinkedHashMap<>();
    String baseDir = ImagePaths.parent(theirs);
    String loadDir = ImagePaths.parent(member.loadPath());
    for (String name : base.list(baseDir)) {
      if (!GlibcUnit.member(name)) {
        continue;
      }
      String loadPath = ImagePaths.join(loadDir, name);
      Optional<ResolvedPath> ours = ImagePaths.resolve(builder.files(), loadPath).filter(r -> r.entry().isFile());
      Optional<ResolvedPath> base = ImagePaths.resolve(this.base, ImagePaths.join(baseDir, name)).filter(r -> r.entry().isFile());
      if (ours.isEmpty() || base.isEmpty() || taken.contains(ours.get().path()) || taken.contains(loadPath)) {
        continue;
      }
      out.put(new ClosureLibrary(loadPath, ours.get().symlinks(), ours.get().path(), "glibc"), base.get().path());
    }
    return out;
  }

  /**
   * Who among the base's ELF files breaks when the base's libraries in {@code swapped} (base path →
   * builder path) are replaced: base path of a replaced library → "file (what it needs)" of each
   * file that loses something of it (directly, or through another broken library), programs first.
   */
  public Map<String, List<String>> breakage(Map<String, String> swapped) {
    List<String> candidates = baseCandidates.get();
    if (candidates.size() > MAX_SCANNED) {
      candidates = candidates.subList(0, MAX_SCANNED);
    }
    willRead.accept(candidates);
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    for (BaseBreakage.Broken b : new BaseBreakage(builder, baseElfs, swapped).of(candidates)) {
      b.from().forEach(theirs -> out.computeIfAbsent(theirs, k -> new ArrayList<>()).add(b.toString()));
    }
    return out;
  }

  /** The base's regular file where the loader opens the library, else at one of the paths grafting it adds. */
  public Optional<ResolvedPath> atBase(ClosureLibrary lib) {
    Optional<ResolvedPath> r = ImagePaths.resolve(base, lib.loadPath()).filter(x -> x.entry().isFile());
    for (String p : lib.paths()) {
      if (r.isPresent()) {
        break;
      }
      r = ImagePaths.resolve(base, p).filter(x -> x.entry().isFile());
    }
    return r;
  }

  public boolean sameBytes(String ours, String theirs) {
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

  public LibraryDifference difference(String ours, String theirs) {
    ElfFile mine;
    ElfFile other;
    try {
      if (!baseElfs.isElf(theirs)) {
        return new LibraryDifference(List.of(), List.of(), 0, 0, Optional.empty()); // nothing loads it as a library
      }
      other = baseElfs.get(theirs);
      mine = builder.get(ours);
    } catch (ElfFormatException e) {
      return new LibraryDifference(List.of(), List.of(e.getMessage()), 0, 0, Optional.empty());
    }
    Set<String> myVersions = new HashSet<>(mine.versionDefs());
    List<String> lackV = other.versionDefs().stream().filter(v -> !myVersions.contains(v)).sorted().toList();
    DynamicSymbols mySyms = builder.symbols(ours);
    DynamicSymbols theirSyms = baseElfs.symbols(theirs);
    List<String> lackS = new TreeSet<>(theirSyms.defined()).stream().filter(s -> !mySyms.defined().contains(s)).toList();
    int moreV = (int) mine.versionDefs().stream().filter(v -> !other.versionDefs().contains(v)).count();
    int moreS = (int) mySyms.defined().stream().filter(s -> !theirSyms.defined().contains(s)).count();
    return new LibraryDifference(lackV, lackS, moreV, moreS, other.soname());
  }
}
