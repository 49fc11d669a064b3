package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code closure: auto}: every file the loader opens to start the roots, in the builder image,
 * with the symlinks on the way (Debian's {@code /lib -> usr/lib}, {@code libstdc++.so.6 ->
 * libstdc++.so.6.0.30}), so grafting exactly these paths onto a base reproduces what ran in the
 * builder. Pure: reads the image, decides nothing about layers.
 *
 * @param paths image paths to graft: regular files and symlinks, sorted
 * @param missing libraries the builder itself lacks (grafting cannot add what is not there)
 * @param problems roots that are missing or not ELF, with the reason
 * @param libraries the libraries and loaders among {@code paths} (not the roots), each once, in
 *     load order: what may collide with files the base already has
 */
public record Closure(SortedSet<String> paths, List<MissingLibrary> missing, List<String> problems,
    List<ClosureLibrary> libraries) {
  /** Directories under node_modules are walked at most this deep (npm nests, pnpm goes deeper). */
  static final int MAX_DEPTH = 32;

  public Closure {
    paths = Collections.unmodifiableSortedSet(new TreeSet<>(paths));
    missing = List.copyOf(missing);
    problems = List.copyOf(problems);
    libraries = List.copyOf(libraries);
  }

  public static Closure of(ImageContext ctx, List<String> roots) {
    SortedSet<String> paths = new TreeSet<>();
    List<MissingLibrary> missing = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    java.util.Map<String, ClosureLibrary> libraries = new java.util.LinkedHashMap<>();
    for (String root : roots) {
      Optional<ResolvedPath> rp = ImagePaths.resolve(ctx.files(), root).filter(r -> r.entry().isFile());
      if (rp.isEmpty()) {
        problems.add(root + ": no such file in the builder image");
        continue;
      }
      paths.addAll(rp.get().symlinks());
      paths.add(rp.get().path());
      ElfFile elf;
      try {
        elf = ctx.elfs().get(rp.get().path());
      } catch (ElfFormatException e) {
        problems.add(e.getMessage());
        continue;
      }
      if (elf.isStatic()) {
        continue;
      }
      Libc libc = Libc.of(elf).orElse(ctx.libcs().stream().findFirst().orElse(Libc.GLIBC));
      LoaderRules rules = ctx.loader(libc);
      LoaderResolution r = DynamicLoader.resolve(ctx.elfs(), rules, root);
      for (LoadedObject o : r.loaded()) {
        paths.addAll(o.symlinks());
        paths.add(o.realPath());
        if (o.neededBy().isPresent()) {
          libraries.putIfAbsent(o.path(), new ClosureLibrary(o.path(), o.symlinks(), o.realPath(),
              o.neededBy().get().realPath()));
        }
      }
      if (r.interpreter().isEmpty() && libc == Libc.MUSL) { // an addon: the process's loader is musl itself
        ImagePaths.resolve(ctx.files(), rules.interpreter()).ifPresent(i -> {
          paths.addAll(i.symlinks());
          paths.add(i.path());
          libraries.putIfAbsent(rules.interpreter(), new ClosureLibrary(rules.interpreter(), i.symlinks(), i.path(), root));
        });
      }
      missing.addAll(r.missing());
    }
    return new Closure(paths, missing, problems, List.copyOf(libraries.values()));
  }

  /** Every ELF {@code *.node} addon under a directory (symlinked directories not followed), sorted. */
  public static List<String> addonsUnder(ImageContext ctx, String dir) {
    List<String> out = new ArrayList<>();
    walk(ctx, dir, 0, out);
    return out;
  }

  private static void walk(ImageContext ctx, String dir, int depth, List<String> out) {
    if (depth > MAX_DEPTH) {
      return;
    }
    for (String name : ctx.files().list(dir)) {
      String p = ImagePaths.join(dir, name);
      Optional<ImageFiles.Entry> e = ctx.files().lstat(p);
      if (e.isEmpty()) {
        continue;
      }
      if (e.get().isDirectory()) {
        walk(ctx, p, depth + 1, out);
      } else if (e.get().isFile() && name.endsWith(".node") && ctx.elfs().isElf(p)) {
        out.add(p);
      }
    }
  }
}
