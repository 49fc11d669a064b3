package dev.graft.assemble;

import dev.graft.config.ClosureMode;
import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.fs.ContentSpool;
import dev.graft.fs.CopiedEntries;
import dev.graft.fs.FileTree;
import dev.graft.fs.Selection;
import dev.graft.fs.SymlinkLoopException;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.Globs;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import dev.graft.oci.Platform;
import dev.graft.oci.Require;
import dev.graft.verify.Finding;
import dev.graft.verify.loader.ParsedElfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Step "select" of an image's files: one {@link LayerSpec} → the entries of its layer, placed onto
 * the base (never replacing the base's directories or its links to them). For {@code closure:
 * auto} every file the loader would open for the ELF files selected is added at its own path
 * ({@link LibraryClosure}).
 */
final class SelectFiles {
  /**
   * What a selection reads.
   *
   * @param source the image's files
   * @param sourceName the image, for messages ("builder image oci:images/builder")
   * @param base the base's files, onto which the entries are placed
   * @param baseName the base image, for messages
   * @param sourceEnv the environment the closure's loader runs with ({@code LD_LIBRARY_PATH})
   * @param spoolDir where the image's selected files are copied out of their layers
   * @param earlier paths earlier layers already add, so a closure does not add the same library twice
   * @param elfs the build's parsed ELF files, which verification then reuses
   */
  record Input(LayerSpec spec, FileTree source, String sourceName, FileTree base, String baseName,
      Platform platform, List<String> sourceEnv, Path spoolDir, Set<String> earlier, ParsedElfs elfs) {
    Input {
      Require.nonNull("spec, source, base, platform, spoolDir, elfs", spec, source, base, platform, spoolDir, elfs);
      sourceEnv = List.copyOf(sourceEnv);
      earlier = Set.copyOf(earlier);
    }
  }

  private final Input in;
  private final LayerSpec spec;
  private final FileTree source;

  SelectFiles(Input in) {
    this.in = in;
    this.spec = in.spec();
    this.source = in.source();
  }

  SelectedFiles run() throws IOException {
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
    ContentSpool spool = new ContentSpool(source, in.spoolDir());
    List<LayerEntry> directoryLinks = new ArrayList<>();
    List<Finding> notes = List.of();
    if (spec.closure() == ClosureMode.AUTO) {
      LibraryClosure.Result cp = new LibraryClosure(in, selection, spool).run();
      notes = cp.notes();
      List<String> extra = cp.paths();
      List<String> all = new ArrayList<>(selection.effectiveInclude());
      for (String p : extra) {
        if (all.contains(p) || in.earlier().contains(p)) {
          continue;
        }
        // A link to a directory on the loader's way (/lib -> usr/lib) is taken as the link alone:
        // selecting it would pull its whole target directory in.
        Optional<TreeEntry> link = source.lookup(p).filter(e -> e.metadata().isSymlink());
        if (link.isPresent() && source.find(p).filter(e -> e.metadata().isDirectory()).isPresent()) {
          EntryMetadata m = link.get().metadata();
          directoryLinks.add(LayerEntry.symlink(p, m.linkTarget(), m.uid(), m.gid()));
        } else {
          all.add(p);
        }
      }
      selection = new Selection(all, spec.excludes(), selection.from(), selection.to());
    }
    List<LayerEntry> entries =
        new ArrayList<>(CopiedEntries.entries(source, selection, in.sourceName(), in.base(), spool));
    for (LayerEntry l : directoryLinks) {
      if (entries.stream().noneMatch(e -> e.path().equals(l.path()))) {
        entries.add(l);
      }
    }
    SpecialFileCheck.check(entries, spec, in.sourceName());
    return new SelectedFiles(KeepBaseDirectories.apply(entries, in.base()), spool, notes);
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
    boolean file = source.find(from).filter(n -> !n.metadata().isDirectory()).isPresent();
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
}
