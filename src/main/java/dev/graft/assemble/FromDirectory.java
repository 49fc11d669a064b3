package dev.graft.assemble;

import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.fs.FileTree;
import dev.graft.fs.Placement;
import dev.graft.layer.EntryType;
import dev.graft.layer.Globs;
import dev.graft.layer.HostFileHashes;
import dev.graft.layer.Layer;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LocalDirectoryLayer;
import dev.graft.layer.TarPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Files from a local directory ({@code from: ./dist}): its walk (started before the base was
 * resolved, by {@link LocalLayers}) narrowed to the layer's paths and placed under {@code to} onto
 * the base. Its files' hashes are remembered once the layer is written ({@link HostFileHashes}),
 * and a rebuild reuses the layer {@link LocalLayers} wrote while the base resolved when the base is
 * the tree it guessed.
 */
final class FromDirectory implements LayerFiles {
  private final int index;
  private final LayerSpec spec;
  private final Path dir;
  private final LayerInputs in;

  FromDirectory(int index, LayerSpec spec, LayerSource.Directory source, LayerInputs in) {
    this.index = index;
    this.spec = spec;
    this.dir = source.dir();
    this.in = in;
  }

  /** Never a host path: the same app built in another directory must give the same config and digest. */
  @Override
  public String history() {
    Path name = dir.getFileName();
    return "local directory " + (name == null ? "/" : name.toString());
  }

  @Override
  public boolean readsEarlierLayers() {
    return false;
  }

  @Override
  public LayerSelection select(EarlierLayers earlier) {
    LocalLayers local = in.local();
    return in.steps().run("select files of " + Steps.layer(spec), null, () -> {
      HostFileHashes hashes = local.hashes(index);
      List<LayerEntry> guessed = local.guessedEntries(index);
      List<LayerEntry> entries = guessed != null ? guessed
          : placeLocal(spec, dir, local.walked(index).call(), in.sources().baseTree().get());
      return new LayerSelection(entries, List.of(), (cache, written, options, progress) -> {
        Layer early = written.equals(guessed) ? local.guessedLayer(index) : null;
        Layer layer = early != null ? early : cache.getOrWrite(written, options, progress);
        hashes.save();
        return layer;
      }, false);
    });
  }

  /**
   * A local directory layer's entries as found on disk, before path filters and placement. Without
   * path filters every file goes into the layer, so every file's content hash (its identity, which
   * the layer cache key needs) is worked out here too; with filters, only for the files kept, later.
   */
  static List<LayerEntry> walk(LayerSpec spec, Path dir, HostFileHashes hashes) throws IOException {
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

  /**
   * A local directory layer's entries: {@code all} (its walk) narrowed to the layer's paths and
   * placed onto {@code base} (its directories and directory links on the way). Depends on nothing
   * else, so a rebuild may run it early against the base tree of its last build.
   */
  static List<LayerEntry> placeLocal(LayerSpec spec, Path dir, List<LayerEntry> all, FileTree base) {
    String dest = spec.to().orElse("/");
    LayerSource.Directory source = (LayerSource.Directory) spec.source();
    if (all.size() == 1 && !dest.endsWith("/") && Files.isRegularFile(dir)
        && base.find(dest).filter(e -> e.metadata().isDirectory()).isPresent()) {
      // Docker's COPY: a file copied to a path that is a directory in the image goes into it
      all = List.of(all.get(0).withPath(TarPaths.join(dest, dir.getFileName().toString())));
    }
    all = CopyModes.apply(all, source.chmod(), source.chown(), base);
    if (!spec.paths().isEmpty()) {
      List<Pattern> wanted = spec.paths().stream().flatMap(p -> p.alternatives().stream())
          .map(g -> Globs.compile(TarPaths.join(dest, g))).toList();
      all = all.stream().filter(e -> e.metadata().type() != EntryType.DIR
          && wanted.stream().anyMatch(w -> Globs.matchesSelfOrAncestor(w, e.path()))).toList();
      if (all.isEmpty()) {
        String paths = spec.paths().stream().map(String::valueOf).collect(Collectors.joining(", "));
        throw new IllegalStateException(dir + " has nothing matching " + paths);
      }
    }
    return Placement.place(all, base, p -> Optional.empty());
  }
}
