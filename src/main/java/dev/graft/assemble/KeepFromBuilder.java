package dev.graft.assemble;

import dev.graft.config.ClosureMode;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.Globs;
import dev.graft.layer.TarPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Which of the builder's files are copied while its layers are read for the file tree
 * ({@link dev.graft.fs.KeptContents}), so that selection, the closure and the layer writer do not
 * read those layers a second time: files at or below a path a builder layer names and, when one
 * takes the ELF closure, the files the closure reads ({@link LibraryClosure#likelyLoaded}: these were
 * copied into the closure's spool anyway). A guess made before anything is selected: a file it
 * misses is read from its layer as before.
 */
final class KeepFromBuilder {
  private KeepFromBuilder() {}

  /** What to keep of the builder for these layers; empty when no layer takes files from it. */
  static Optional<BiPredicate<String, EntryMetadata>> wanted(List<LayerSpec> layers) {
    List<String> roots = new ArrayList<>();
    boolean closure = false;
    for (LayerSpec spec : layers) {
      if (!(spec.source() instanceof LayerSource.Builder)) {
        continue;
      }
      closure |= spec.closure() == ClosureMode.AUTO;
      for (PathSelector p : spec.paths()) {
        p.alternatives().forEach(a -> roots.add(TarPaths.clean(literalRoot(a))));
      }
    }
    if (roots.isEmpty()) {
      return Optional.empty();
    }
    boolean loaded = closure;
    return Optional.of((path, metadata) -> (loaded && LibraryClosure.likelyLoaded(path)) || under(path, roots));
  }

  /** The directory a glob can match below (its components before the first with a glob), else the path. */
  static String literalRoot(String path) {
    if (!Globs.isGlob(path)) {
      return path;
    }
    int glob = path.length();
    for (char c : new char[] {'*', '?', '['}) {
      int at = path.indexOf(c);
      if (at >= 0) {
        glob = Math.min(glob, at);
      }
    }
    int slash = path.lastIndexOf('/', glob);
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static boolean under(String path, List<String> roots) {
    for (String r : roots) {
      if (r.equals("/") || path.equals(r) || (path.startsWith(r) && path.charAt(r.length()) == '/')) {
        return true;
      }
    }
    return false;
  }
}
