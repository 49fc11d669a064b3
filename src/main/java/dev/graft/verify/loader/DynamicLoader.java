package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Emulates a dynamic loader for one root inside an image: maps the interpreter, then loads
 * NEEDED entries breadth-first (the order both loaders use), reusing an object already loaded
 * under the same name, soname or file, and searching with the {@link LoaderRules} otherwise.
 */
public final class DynamicLoader {
  /** Far above any real process; stops a hostile dependency graph. */
  static final int MAX_OBJECTS = 10_000;

  private DynamicLoader() {}

  /**
   * @param rootPath an ELF program or shared object in the image (symlinks allowed)
   * @throws IllegalArgumentException if the root does not exist or is no regular file
   * @throws ElfFormatException if the root is not valid ELF
   */
  public static LoaderResolution resolve(ElfCache elfs, LoaderRules rules, String rootPath) {
    ImageFiles files = elfs.files();
    ResolvedPath root = ImagePaths.resolve(files, rootPath)
        .filter(r -> r.entry().isFile())
        .orElseThrow(() -> new IllegalArgumentException(rootPath + ": no such file in the image"));
    ElfFile rootElf = elfs.get(root.path());
    // $ORIGIN of the root is its real directory: the kernel reports /proc/self/exe resolved,
    // and Node realpaths an addon before dlopen.
    LoadedObject rootObj = new LoadedObject(root.path(), root.path(), root.symlinks(), rootElf, rootPath,
        Optional.empty(), "root");
    List<LoadedObject> loaded = new ArrayList<>(List.of(rootObj));
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, LoadedObject> byReal = new HashMap<>();
    byReal.put(root.path(), rootObj);
    rootElf.soname().ifPresent(s -> names.put(s, root.path()));
    List<MissingLibrary> missing = new ArrayList<>();
    Deque<LoadedObject> queue = new ArrayDeque<>(List.of(rootObj));

    boolean interpFound = false;
    if (rootElf.interpreter().isPresent()) {
      String interp = rootElf.interpreter().get();
      Optional<ResolvedPath> ri = ImagePaths.resolve(files, interp).filter(r -> r.entry().isFile());
      if (ri.isPresent()) {
        interpFound = true;
        LoadedObject io = load(elfs, ri.get(), interp, rootObj, "PT_INTERP");
        if (io != null) {
          loaded.add(io);
          byReal.put(io.realPath(), io);
          names.put(ImagePaths.fileName(interp), io.realPath());
          io.elf().soname().ifPresent(s -> names.put(s, io.realPath()));
        }
      }
    }

    link(elfs, rules, rootPath, loaded, names, byReal, missing, queue);
    return new LoaderResolution(root.path(), rules, rootElf.interpreter(), interpFound, loaded, names, missing);
  }

  /**
   * What {@code dlopen()} of an addon does inside a running program (node): the program's loader
   * and rules, not the addon's own libc, resolve its NEEDED entries; a name the process already
   * loaded (node's libstdc++, libc, ...) is that object; the search starts from the addon, and
   * glibc's RPATH chain continues with the program's (the addon counts as loaded by it).
   *
   * @param program the program's own resolution (see {@link #resolve}); its objects come first in
   *     the result and are counted in {@link LoaderResolution#inherited()}
   * @throws IllegalArgumentException if the addon does not exist or is no regular file
   * @throws ElfFormatException if the addon is not valid ELF
   */
  public static LoaderResolution resolveDlopen(ElfCache elfs, LoaderResolution program, String addonPath) {
    ImageFiles files = elfs.files();
    ResolvedPath addon = ImagePaths.resolve(files, addonPath)
        .filter(r -> r.entry().isFile())
        .orElseThrow(() -> new IllegalArgumentException(addonPath + ": no such file in the image"));
    List<LoadedObject> loaded = new ArrayList<>(program.loaded());
    Map<String, String> names = new LinkedHashMap<>(program.names());
    Map<String, LoadedObject> byReal = new HashMap<>();
    for (LoadedObject o : loaded) {
      byReal.putIfAbsent(o.realPath(), o);
    }
    List<MissingLibrary> missing = new ArrayList<>();
    LoadedObject existing = byReal.get(addon.path());
    if (existing == null) {
      LoadedObject obj = new LoadedObject(addon.path(), addon.path(), addon.symlinks(), elfs.get(addon.path()),
          addonPath, Optional.of(program.loaded().get(0)), "dlopen");
      loaded.add(obj);
      byReal.put(obj.realPath(), obj);
      link(elfs, program.rules(), addonPath, loaded, names, byReal, missing, new ArrayDeque<>(List.of(obj)));
    }
    return new LoaderResolution(addon.path(), program.rules(), Optional.empty(), false, loaded, names, missing,
        program.loaded().size());
  }

  /** Loads the NEEDED entries of the queued objects breadth-first, adding what it maps to the state given. */
  private static void link(ElfCache elfs, LoaderRules rules, String rootPath, List<LoadedObject> loaded,
      Map<String, String> names, Map<String, LoadedObject> byReal, List<MissingLibrary> missing,
      Deque<LoadedObject> queue) {
    ImageFiles files = elfs.files();
    while (!queue.isEmpty()) {
      LoadedObject obj = queue.poll();
      for (String name : obj.elf().needed()) {
        if (names.containsKey(name)) {
          continue;
        }
        Optional<String> builtin = rules.builtin(name);
        if (builtin.isPresent()) {
          Optional<ResolvedPath> rb = ImagePaths.resolve(files, builtin.get()).filter(r -> r.entry().isFile());
          if (rb.isPresent()) {
            names.put(name, rb.get().path());
            if (!byReal.containsKey(rb.get().path())) {
              LoadedObject lo = load(elfs, rb.get(), name, obj, rules.libc().displayName() + " itself");
              if (lo != null) {
                loaded.add(lo);
                byReal.put(lo.realPath(), lo);
              }
            }
          } else {
            missing.add(new MissingLibrary(name, obj.path(), List.of(builtin.get() + " (" + rules.libc().displayName()
                + " provides " + name + " itself)"), List.of()));
          }
          continue;
        }
        List<String> searched = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        LoadedObject found = null;
        Hit hit = search(elfs, rules, obj, name, searched, rejected);
        if (hit != null) {
          LoadedObject existing = byReal.get(hit.file().path());
          if (existing != null) { // same file under another name: one object
            names.put(name, existing.realPath());
            found = existing;
          } else {
            found = load(elfs, hit.file(), name, obj, hit.dir().rule());
          }
        }
        if (found == null) {
          missing.add(new MissingLibrary(name, obj.path(), searched, rejected));
          continue;
        }
        names.put(name, found.realPath());
        if (!byReal.containsKey(found.realPath())) {
          if (loaded.size() >= MAX_OBJECTS) {
            throw new IllegalStateException(rootPath + ": more than " + MAX_OBJECTS + " libraries");
          }
          loaded.add(found);
          byReal.put(found.realPath(), found);
          LoadedObject added = found;
          added.elf().soname().ifPresent(s -> names.putIfAbsent(s, added.realPath()));
          queue.add(found);
        }
      }
    }
  }

  /** A file a search accepted, and the directory (rule) it was found in. */
  private record Hit(ResolvedPath file, SearchDir dir) {}

  /**
   * The loader's search for one NEEDED name of {@code needing}: the first compatible file along
   * its search path (glibc skips an incompatible one; musl stops at it), or null. Notes each
   * directory searched and each file rejected.
   */
  private static Hit search(ElfCache elfs, LoaderRules rules, LoadedObject needing, String name, List<String> searched,
      List<String> rejected) {
    List<SearchDir> dirs = name.contains("/")
        ? List.of(new SearchDir(ImagePaths.parent(ImagePaths.join("/", name)), "path in NEEDED"))
        : rules.searchPath(needing);
    for (SearchDir dir : dirs) {
      // as the loader builds it: dir + "/" + name, with any ".." left for the kernel's walk
      String candidate = name.contains("/") ? ImagePaths.join("/", name)
          : (dir.dir().endsWith("/") ? dir.dir() : dir.dir() + "/") + name;
      searched.add(dir.toString());
      Optional<ResolvedPath> rc = ImagePaths.resolve(elfs.files(), candidate).filter(r -> r.entry().isFile());
      if (rc.isEmpty()) {
        continue;
      }
      String why = incompatibility(elfs, rules, rc.get().path());
      if (why != null) {
        rejected.add(candidate + ": " + why);
        if (rules.skipsIncompatible()) {
          continue;
        }
        return null; // musl maps the first file it opens, and fails on a bad one
      }
      return new Hit(rc.get(), dir);
    }
    return null;
  }

  /**
   * Where the loader of the image {@code elfs} reads would find the library {@code name} that
   * {@code needing} asks for (an object of another image: its RPATH/RUNPATH, with $ORIGIN at its
   * path, are searched here), including the names a libc answers with itself; empty if nowhere.
   */
  public static Optional<ResolvedPath> locate(ElfCache elfs, LoaderRules rules, LoadedObject needing, String name) {
    Optional<String> builtin = rules.builtin(name);
    if (builtin.isPresent()) {
      return ImagePaths.resolve(elfs.files(), builtin.get()).filter(r -> r.entry().isFile());
    }
    return Optional.ofNullable(search(elfs, rules, needing, name, new ArrayList<>(), new ArrayList<>()))
        .map(Hit::file);
  }

  private static LoadedObject load(ElfCache elfs, ResolvedPath p, String requestedAs, LoadedObject neededBy, String via) {
    try {
      return new LoadedObject(p.requested(), p.path(), p.symlinks(), elfs.get(p.path()), requestedAs,
          Optional.of(neededBy), via);
    } catch (ElfFormatException e) {
      return null;
    }
  }

  /** Why a candidate file can't be loaded into this process, or null. */
  private static String incompatibility(ElfCache elfs, LoaderRules rules, String realPath) {
    if (!elfs.isElf(realPath)) {
      return "not an ELF file";
    }
    try {
      return rules.identity().mismatch(elfs.get(realPath));
    } catch (ElfFormatException e) {
      return e.getMessage();
    }
  }
}
