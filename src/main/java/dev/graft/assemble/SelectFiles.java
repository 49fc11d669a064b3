package dev.graft.assemble;

import dev.graft.config.ClosureMode;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.fs.ContentSpool;
import dev.graft.fs.CopiedEntries;
import dev.graft.fs.FileTree;
import dev.graft.fs.Selection;
import dev.graft.fs.Selector;
import dev.graft.fs.SymlinkLoopException;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryType;
import dev.graft.layer.Globs;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LocalDirectoryLayer;
import dev.graft.layer.TarPaths;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.LibraryCompatibility;
import dev.graft.verify.loader.MissingLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Step "select": one {@link LayerSpec} → the entries of its layer, placed onto the base (never
 * replacing the base's directories or its links to them). For {@code closure: auto} the ELF files
 * selected become roots of {@link dev.graft.verify.loader.Closure}, and every file the loader would open
 * for them is added at its own path.
 */
final class SelectFiles {
  private final LayerSpec spec;
  private final FileTree source; // null for a local directory
  private final String sourceName;
  private final FileTree base;
  private final Platform platform;
  private final List<String> builderEnv;
  private final Path spoolDir;
  private final Set<String> earlier;
  private final dev.graft.layer.HostFileHashes hashes;
  private final String baseName;
  private final java.util.concurrent.Callable<List<LayerEntry>> walked; // null: walk when run

  /** {@code earlier}: paths earlier layers already add, so a closure does not add the same library twice. */
  SelectFiles(LayerSpec spec, FileTree source, String sourceName, FileTree base, Platform platform,
      List<String> builderEnv, Path spoolDir, Set<String> earlier) {
    this(spec, source, sourceName, base, platform, builderEnv, spoolDir, earlier, dev.graft.layer.HostFileHashes.none(),
        null, "the base image");
  }

  /**
   * {@code hashes}: a local directory's file hashes from earlier builds (see {@link
   * dev.graft.layer.HostFileHashes}); {@code walked}: a local directory's {@link #walk} already under
   * way (started before the base was resolved, so the walk overlaps the network), or null to walk
   * here; {@code baseName}: the base image, for messages.
   */
  SelectFiles(LayerSpec spec, FileTree source, String sourceName, FileTree base, Platform platform,
      List<String> builderEnv, Path spoolDir, Set<String> earlier, dev.graft.layer.HostFileHashes hashes,
      java.util.concurrent.Callable<List<LayerEntry>> walked, String baseName) {
    this.walked = walked;
    this.hashes = hashes;
    this.baseName = baseName;
    this.earlier = Set.copyOf(earlier);
    this.spec = spec;
    this.source = source;
    this.sourceName = sourceName;
    this.base = base;
    this.platform = platform;
    this.builderEnv = List.copyOf(builderEnv);
    this.spoolDir = spoolDir;
  }

  SelectedFiles run() throws IOException {
    if (spec.source() instanceof LayerSource.Directory d) {
      return new SelectedFiles(local(d.dir()), null, List.of());
    }
    Set<String> include = new LinkedHashSet<>();
    for (PathSelector p : spec.paths()) {
      chosen(p).ifPresent(include::add);
    }
    if (include.isEmpty()) {
      return new SelectedFiles(List.of(), null, List.of());
    }
    Selection selection = spec.to().isPresent()
        ? new Selection(List.of(), spec.excludes(), include.iterator().next(), destination(include.iterator().next()))
        : new Selection(List.copyOf(include), spec.excludes(), null, null);
    ContentSpool spool = new ContentSpool(source, spoolDir);
    List<LayerEntry> directoryLinks = new ArrayList<>();
    List<Finding> notes = List.of();
    if (spec.closure() == ClosureMode.AUTO) {
      ClosurePaths cp = closure(selection, spool);
      notes = cp.notes();
      List<String> extra = cp.paths();
      List<String> all = new ArrayList<>(selection.effectiveInclude());
      for (String p : extra) {
        if (all.contains(p) || earlier.contains(p)) {
          continue;
        }
        // A link to a directory on the loader's way (/lib -> usr/lib) is taken as the link alone:
        // selecting it would pull its whole target directory in.
        Optional<TreeEntry> link = source.lookup(p).filter(TreeEntry::isSymlink);
        if (link.isPresent() && source.find(p).filter(TreeEntry::isDirectory).isPresent()) {
          directoryLinks.add(LayerEntry.symlink(p, link.get().linkTarget(), link.get().uid(), link.get().gid()));
        } else {
          all.add(p);
        }
      }
      selection = new Selection(all, spec.excludes(), selection.from(), selection.to());
    }
    List<LayerEntry> entries = new ArrayList<>(CopiedEntries.entries(source, selection, sourceName, base, spool));
    for (LayerEntry l : directoryLinks) {
      if (entries.stream().noneMatch(e -> e.path().equals(l.path()))) {
        entries.add(l);
      }
    }
    SpecialFileCheck.check(entries, spec, sourceName);
    return new SelectedFiles(KeepBaseDirectories.apply(entries, base), spool, notes);
  }

  /**
   * Where the one path goes: {@code to}; when {@code to} ends with {@code /} (a Dockerfile's
   * {@code COPY --from=… /usr/local/bin/node /usr/local/bin/}), a file goes into it under its own
   * name and a directory's contents go into it, as docker build copies them.
   */
  private String destination(String from) {
    String to = spec.to().get();
    if (!to.endsWith("/") || to.equals("/")) {
      return to;
    }
    String dir = to.substring(0, to.length() - 1);
    boolean file = source.find(from).filter(n -> !n.isDirectory()).isPresent();
    return file ? TarPaths.join(dir, from.substring(from.lastIndexOf('/') + 1)) : dir;
  }

  /** The first alternative that exists; empty for an optional selector that matches nothing. */
  private Optional<String> chosen(PathSelector p) {
    for (String alt : p.alternatives()) {
      if (exists(alt)) {
        return Optional.of(alt);
      }
    }
    if (p.optional()) {
      return Optional.empty();
    }
    return Optional.of(p.alternatives().get(0)); // the selector reports it missing, with the closest paths
  }

  private boolean exists(String path) {
    if (Globs.isGlob(path)) {
      Pattern pattern = Globs.compile(path);
      return source.walk("/").anyMatch(n -> pattern.matcher(n.path()).matches());
    }
    try {
      return source.lookup(source.resolve(path, false)).isPresent();
    } catch (SymlinkLoopException e) {
      return false;
    }
  }

  /**
   * Closure paths for the ELF files the selection takes, minus what it already has. Only files for
   * this platform's CPU are roots (npm packages ship prebuilds for every platform). A program whose
   * library the builder lacks is an error here; an addon's is not, since node loads at most one of a
   * package's prebuilds, and verification judges the ones that would load.
   */
  private record ClosurePaths(List<String> paths, List<Finding> notes) {}

  private ClosurePaths closure(Selection selection, ContentSpool spool) throws IOException {
    List<LayerEntry> candidates = Selector.select(source, selection, sourceName).stream()
        .map(s -> s.source())
        .filter(n -> n.isRegular() && looksLoadable(n))
        .map(n -> LayerEntry.file(n.path(), n.mode(), n.uid(), n.gid(), n.size(), spool.source(n)))
        .toList();
    // Candidates, and every file the loader is likely to open (shared libraries, its config), are
    // registered before the first read, so the spool gets them all in one pass over the layer;
    // the closure then reads libraries level by level without re-reading the layer per file, and
    // the layer writer and the verifier find the chosen libraries already spooled.
    source.walk("/").filter(n -> n.isRegular() && n.content() != null && likelyLoaded(n.path())).forEach(spool::source);
    ImageContext ctx = ImageContext.of(TreeImageFiles.overlay(source, List.of(candidates), spool), platform, builderEnv);
    String arch = platform.normalized().architecture();
    List<String> elfRoots = new ArrayList<>();
    for (LayerEntry c : candidates) {
      if (ctx.elfs().isElf(c.path()) && ctx.elfs().get(c.path()).knownMachine()
          .map(m -> m.ociArchitecture().equals(arch)).orElse(false)) {
        elfRoots.add(c.path());
      }
    }
    dev.graft.verify.loader.Closure c = dev.graft.verify.loader.Closure.of(ctx, elfRoots);
    for (MissingLibrary m : c.missing()) {
      if (!m.neededBy().endsWith(".node")) {
        throw new IllegalStateException(sourceName + " itself lacks " + m.name() + " (needed by " + m.neededBy()
            + "; searched " + String.join(", ", m.searched()) + "), so closure: auto cannot graft it");
      }
    }
    // What the base already has at the closure's library paths: identical files are left out,
    // different ones decided by the layer's 'conflicts'.
    try (ContentSpool baseSpool = new ContentSpool(base, spoolDir)) {
      Consumer<Collection<String>> willRead = paths -> paths.forEach(p -> base.lookup(p)
          .filter(n -> n.isRegular() && n.content() != null).ifPresent(baseSpool::source));
      LibraryCompatibility compat = new LibraryCompatibility(ctx.elfs(),
          TreeImageFiles.overlay(base, List.of(), baseSpool),
          () -> base.walk("/").filter(n -> n.isRegular() && n.content() != null && looksLoadable(n))
              .map(TreeEntry::path).toList(),
          willRead, c.paths().stream().filter(p -> ctx.files().lstat(p).map(e -> e.isFile()).orElse(false)).toList());
      BaseCollisions collisions = new BaseCollisions(compat, spec.conflicts(),
          "layer '" + spec.name() + "' (" + spec.origin() + ")", baseName, willRead);
      BaseCollisions.Outcome o = collisions.decide(c.libraries());
      List<String> paths = c.paths().stream().filter(p -> !o.drop().contains(p)).toList();
      return new ClosurePaths(paths, o.notes());
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
    return (n.mode() & 0111) != 0 || name.endsWith(".node") || name.contains(".so");
  }

  /**
   * A local directory layer's entries as found on disk, before path filters and placement. Without
   * path filters every file goes into the layer, so every file's content hash (its identity, which
   * the layer cache key needs) is worked out here too; with filters, only for the files kept, later.
   */
  static List<LayerEntry> walk(LayerSpec spec, Path dir, dev.graft.layer.HostFileHashes hashes) throws IOException {
    List<LayerEntry> all = LocalDirectoryLayer.entries(dir, spec.to().orElse("/"), spec.excludes(), hashes);
    if (spec.paths().isEmpty()) {
      for (LayerEntry e : all) {
        if (e.content() != null) {
          e.content().identity();
        }
      }
    }
    return all;
  }

  private List<LayerEntry> local(Path dir) throws IOException {
    List<LayerEntry> all;
    if (walked == null) {
      all = walk(spec, dir, hashes);
    } else {
      try {
        all = walked.call();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    return placeLocal(spec, dir, all, base);
  }

  /**
   * A local directory layer's entries: {@code all} (its walk) narrowed to the layer's paths and
   * placed onto {@code base} (its directories and directory links on the way). Depends on nothing
   * else, so a rebuild may run it early against the base tree of its last build.
   */
  static List<LayerEntry> placeLocal(LayerSpec spec, Path dir, List<LayerEntry> all, FileTree base) {
    String dest = spec.to().orElse("/");
    LayerSource.Directory source = (LayerSource.Directory) spec.source();
    if (all.size() == 1 && !dest.endsWith("/") && java.nio.file.Files.isRegularFile(dir)
        && base.find(dest).filter(TreeEntry::isDirectory).isPresent()) {
      // Docker's COPY: a file copied to a path that is a directory in the image goes into it
      all = List.of(all.get(0).withPath(TarPaths.join(dest, dir.getFileName().toString())));
    }
    all = CopyModes.apply(all, source.chmod(), source.chown(), base);
    if (!spec.paths().isEmpty()) {
      List<Pattern> wanted = spec.paths().stream().flatMap(p -> p.alternatives().stream())
          .map(g -> Globs.compile(TarPaths.join(dest, g))).toList();
      all = all.stream().filter(e -> e.type() != EntryType.DIR
          && wanted.stream().anyMatch(w -> Globs.matchesSelfOrAncestor(w, e.path()))).toList();
      if (all.isEmpty()) {
        String paths = spec.paths().stream().map(String::valueOf).collect(Collectors.joining(", "));
        throw new IllegalStateException(dir + " has nothing matching " + paths);
      }
    }
    return dev.graft.fs.Placement.place(all, base, p -> Optional.empty());
  }
}
