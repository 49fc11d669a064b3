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
    this.baseElfs = new ElfCache(base);
    this.baseCandidates = baseCandidates;
    this.willRead = willRead;
    this.closureFiles = List.copyOf(closureFiles);
  }

  /**
   * What the closure's files that load this library need from it (symbol versions they name for it,
   * and the symbols the builder's copy gives them) and the base's copy lacks: "pthread_getname_np
   * (needed by /usr/local/bin/getname)". Empty: the base's serves them as well.
   */
  public List<String> unmet(ClosureLibrary lib, String theirs) {
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
    Set<String> out = new LinkedHashSet<>();
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

  /** ELF files of the base that load the library and need something the builder's lacks, with what. */
  public List<String> users(ClosureLibrary lib, String theirs, LibraryDifference d) {
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
}
