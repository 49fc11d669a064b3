package dev.graft.assemble;

import dev.graft.fs.ContentSpool;
import dev.graft.fs.FileTree;
import dev.graft.fs.Selection;
import dev.graft.fs.Selector;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerEntry;
import dev.graft.verify.Finding;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.loader.Closure;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.LibraryCompatibility;
import dev.graft.verify.loader.MissingLibrary;
import dev.graft.verify.node.AddonFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Step "closure" of {@code closure: auto}: the files the loader would open for the ELF programs,
 * libraries and addons a layer selects from an image (libraries, the loader, its configuration),
 * found by {@link Closure} in that image, minus the libraries the base already has the same or
 * keeps by the layer's {@code conflicts}, plus what {@link BaseCollisions} adds for a library it
 * replaces. Only files for this platform's CPU are roots (npm packages ship prebuilds for every
 * platform), and of {@code .node} files only addons Node could load (not node-gyp's obj.target
 * copies). A program whose library the image lacks is an error here; an addon's is not, since node
 * loads at most one of a package's prebuilds, and verification judges the ones that would load.
 */
record LibraryClosure(SelectFiles.Input in, Selection selection, ContentSpool spool) {
  /** The paths to add to the selection (some it may have already), and what was decided about the base's. */
  record Result(List<String> paths, List<Finding> notes) {
    Result {
      paths = List.copyOf(paths);
      notes = List.copyOf(notes);
    }
  }

  /** {@code spool}: where the image's files that are read are copied out of their layers (the selection's own). */
  LibraryClosure {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(spool, "spool");
  }

  Result run() throws IOException {
    FileTree source = in.source();
    List<LayerEntry> candidates = Selector.select(source, selection, in.sourceName()).stream()
        .map(s -> s.source())
        .filter(n -> n.metadata().isRegular() && looksLoadable(n))
        .map(n -> {
          EntryMetadata m = n.metadata();
          return LayerEntry.file(n.path(), m.mode(), m.uid(), m.gid(), m.size(), spool.source(n));
        })
        .toList();
    // Candidates, and every file the loader is likely to open (shared libraries, its config), are
    // registered before the first read, so the spool gets them all in one pass over the layer;
    // the closure then reads libraries level by level without re-reading the layer per file, and
    // the layer writer and the verifier find the chosen libraries already spooled.
    source.walk("/").filter(n -> n.metadata().isRegular() && n.content() != null && likelyLoaded(n.path()))
        .forEach(spool::source);
    ImageContext ctx = ImageContext.of(TreeImageFiles.overlay(source, List.of(candidates), spool), in.elfs(),
        in.platform(), in.sourceEnv());
    String arch = in.platform().normalized().architecture();
    List<String> elfRoots = new ArrayList<>();
    for (LayerEntry c : candidates) {
      if (ctx.elfs().isElf(c.path()) && ctx.elfs().get(c.path()).knownMachine()
          .map(m -> m.ociArchitecture().equals(arch)).orElse(false)
          && (!c.path().endsWith(".node") || AddonFiles.nodeCouldLoad(ctx.elfs(), c.path()))) {
        elfRoots.add(c.path());
      }
    }
    Closure c = Closure.of(ctx, elfRoots);
    for (MissingLibrary m : c.missing()) {
      if (!m.neededBy().endsWith(".node")) {
        throw new IllegalStateException(in.sourceName() + " itself lacks " + m.name() + " (needed by " + m.neededBy()
            + "; searched " + String.join(", ", m.searched()) + "), so closure: auto cannot graft it");
      }
    }
    // What the base already has at the closure's library paths: identical files are left out,
    // different ones decided by the layer's 'conflicts'.
    FileTree base = in.base();
    try (ContentSpool baseSpool = new ContentSpool(base, in.spoolDir())) {
      Consumer<Collection<String>> willRead = paths -> paths.forEach(p -> base.lookup(p)
          .filter(n -> n.metadata().isRegular() && n.content() != null).ifPresent(baseSpool::source));
      LibraryCompatibility compat = new LibraryCompatibility(ctx.elfs(),
          TreeImageFiles.overlay(base, List.of(), baseSpool),
          () -> base.walk("/").filter(n -> n.metadata().isRegular() && n.content() != null && looksLoadable(n))
              .map(TreeEntry::path).toList(),
          willRead, c.paths().stream().filter(p -> ctx.files().lstat(p).map(e -> e.isFile()).orElse(false)).toList());
      BaseCollisions collisions = new BaseCollisions(compat, in.spec().conflicts(), Steps.layer(in.spec()),
          in.baseName(), willRead);
      BaseCollisions.Outcome o = collisions.decide(c.libraries());
      List<String> paths = new ArrayList<>(c.paths().stream().filter(p -> !o.drop().contains(p)).toList());
      o.add().stream().filter(p -> !paths.contains(p)).forEach(paths::add);
      return new Result(paths, o.notes());
    }
  }

  /** Shared libraries (and loaders) by name, and the loaders' search-path configuration. */
  static boolean likelyLoaded(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.contains(".so") || path.startsWith("/etc/ld.so.") || path.startsWith("/etc/ld-musl-");
  }

  /** Programs and libraries: executables, *.so*, *.node (checked for the ELF magic next). */
  private static boolean looksLoadable(TreeEntry n) {
    String name = n.name();
    return (n.metadata().mode() & 0111) != 0 || name.endsWith(".node") || name.contains(".so");
  }
}
