package dev.graft.verify;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import dev.graft.verify.loader.DynamicLoader;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.Libc;
import dev.graft.verify.loader.LoadedObject;
import dev.graft.verify.loader.LoaderResolution;
import dev.graft.verify.loader.LoaderRules;
import dev.graft.verify.loader.OtherImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where another image ({@link ImageContext#lookIn()}) meets a need the checked image does not: a
 * missing library, one too old for the symbol versions asked of it, or symbols no loaded object
 * defines. The library is looked up as that image's own loader would (same libc, its search path
 * and LD_LIBRARY_PATH, the needing object's RPATH/RUNPATH at the same path), then its version
 * definitions or exported symbols are read. The answer is a clause a finding's message ends with.
 */
final class LookInHints {
  private static final String GRAFT = ": graft it with closure: auto";

  private LookInHints() {}

  /** The first other image that has the program loader {@code interpreter} (a regular file at the end of that path). */
  static String interpreter(ImageContext ctx, String interpreter) {
    for (OtherImage other : ctx.lookIn()) {
      ImageContext o = other.context().orElse(null);
      Optional<ResolvedPath> rp = o == null ? Optional.empty()
          : ImagePaths.resolve(o.files(), interpreter).filter(r -> r.entry().isFile());
      if (rp.isPresent()) {
        return "; " + other.name() + " has it" + (rp.get().path().equals(interpreter) ? "" : " (" + rp.get().path() + ")")
            + GRAFT;
      }
    }
    return "";
  }

  /**
   * The first other image where {@code name}, asked for by {@code needing}, resolves to a library
   * defining every version {@code needing} asks of it; e.g. {@code "; builder X has
   * /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30 defining GLIBCXX_3.4.30: graft it ..."}.
   *
   * @param shown the versions the clause names (those the checked image's library lacks; may be empty)
   */
  static String library(ImageContext ctx, Libc libc, LoadedObject needing, String name, List<String> shown) {
    List<String> versions = libc == Libc.GLIBC ? needing.elf().versionsNeededFrom(name) : List.of();
    for (OtherImage other : ctx.lookIn()) {
      ImageContext o = other.context().orElse(null);
      if (o == null) {
        continue;
      }
      Optional<ResolvedPath> rp = DynamicLoader.locate(o.elfs(), o.loader(libc), needing, name);
      if (rp.isEmpty()) {
        continue;
      }
      ElfFile elf = parse(o, rp.get().path());
      if (elf != null && elf.versionDefs().containsAll(versions)) {
        return "; " + other.name() + " has " + rp.get().path()
            + (shown.isEmpty() ? "" : " defining " + String.join(", ", shown)) + GRAFT;
      }
    }
    return "";
  }

  /**
   * The first other image where a library the process asks for (the object's own NEEDED names
   * first, then those of every object loaded, in load order) resolves to one exporting all of
   * {@code symbols}: for musl, whose libc has no versions, a newer libc is found here.
   */
  static String symbols(ImageContext ctx, LoaderResolution r, LoadedObject object, List<String> symbols) {
    if (ctx.lookIn().isEmpty()) {
      return "";
    }
    List<LoadedObject> askers = new ArrayList<>(List.of(object));
    r.loaded().stream().filter(l -> l != object).forEach(askers::add);
    for (OtherImage other : ctx.lookIn()) {
      ImageContext o = other.context().orElse(null);
      if (o == null) {
        continue;
      }
      LoaderRules rules = o.loader(r.rules().libc());
      Set<String> tried = new LinkedHashSet<>();
      for (LoadedObject asker : askers) {
        for (String name : asker.elf().needed()) {
          if (!tried.add(name)) {
            continue;
          }
          Optional<ResolvedPath> rp = DynamicLoader.locate(o.elfs(), rules, asker, name);
          if (rp.isPresent() && parse(o, rp.get().path()) != null
              && o.elfs().symbols(rp.get().path()).defined().containsAll(symbols)) {
            return "; " + other.name() + " has " + rp.get().path() + " (" + name + ") defining "
                + (symbols.size() == 1 ? symbols.get(0) : "all " + symbols.size() + " of them") + GRAFT;
          }
        }
      }
    }
    return "";
  }

  /** The object of a resolution loaded as {@code path}. */
  static Optional<LoadedObject> object(LoaderResolution r, String path) {
    return r.loaded().stream().filter(o -> o.path().equals(path)).findFirst();
  }

  private static ElfFile parse(ImageContext o, String realPath) {
    try {
      return o.elfs().isElf(realPath) ? o.elfs().get(realPath) : null;
    } catch (ElfFormatException e) {
      return null;
    }
  }
}
