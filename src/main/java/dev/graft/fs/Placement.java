package dev.graft.fs;

import dev.graft.oci.Printable;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Places new entries onto a base image without breaking it. Destinations are resolved through
 * the base's symlinks (on Debian, {@code /lib/x} becomes {@code /usr/lib/x} because {@code /lib}
 * is a link), so a link of the base is never replaced by a directory; directories the base
 * already has are not written again, so the base keeps its own modes and owners; missing parents
 * are added (with the source's metadata when known, else 0755 root).
 */
public final class Placement {
  private Placement() {}

  /**
   * @param base the base image's tree, or null when unknown (then every parent is written)
   * @param parentMetadata metadata for a missing parent directory, by destination path (may be empty)
   */
  public static List<LayerEntry> place(Collection<LayerEntry> entries, FileTree base,
      Function<String, Optional<LayerEntry>> parentMetadata) {
    Map<String, LayerEntry> out = new TreeMap<>();
    Map<String, String> moved = new TreeMap<>();
    Map<String, String> resolvedParents = new java.util.HashMap<>(); // siblings share their parent's resolution
    for (LayerEntry e : entries) {
      String parent = base == null ? TarPaths.parent(e.path())
          : resolvedParents.computeIfAbsent(TarPaths.parent(e.path()), d -> base.resolve(d, true));
      String path = TarPaths.join(parent, TarPaths.name(e.path()));
      moved.put(e.path(), path);
      if (base != null && e.metadata().type() == EntryType.DIR
          && base.find(path).filter(n -> n.metadata().isDirectory()).isPresent()) {
        continue; // the base's directory (or its link to one) stays as it is
      }
      if (base != null && e.metadata().type() != EntryType.DIR
          && base.lookup(path).filter(n -> n.metadata().isDirectory()).isPresent()) {
        // Unpacking would delete the base's directory and everything in it.
        throw new IllegalArgumentException("refusing to replace the base image's directory " + Printable.path(path) + " with a "
            + e.metadata().type().name().toLowerCase(java.util.Locale.ROOT) + " (from " + Printable.path(e.path())
            + ")");
      }
      LayerEntry placed = e.withPath(path);
      LayerEntry previous = out.putIfAbsent(path, placed);
      if (previous != null && previous.metadata().type() != placed.metadata().type()) {
        throw new IllegalArgumentException("two selected paths land on " + Printable.path(path) + " ("
            + previous.metadata().type() + " and " + placed.metadata().type() + "), through the base image's symlinks");
      }
    }
    // Hardlinks name their target by its original path: follow the same move.
    for (Map.Entry<String, LayerEntry> m : new ArrayList<>(out.entrySet())) {
      LayerEntry e = m.getValue();
      if (e.metadata().type() == EntryType.HARDLINK && moved.containsKey(e.metadata().linkTarget())) {
        out.put(m.getKey(), e.asHardlinkTo(moved.get(e.metadata().linkTarget())));
      }
    }
    for (String path : new ArrayList<>(out.keySet())) {
      for (String dir = TarPaths.parent(path); !dir.equals("/"); dir = TarPaths.parent(dir)) {
        if (out.containsKey(dir)
            || (base != null && base.find(dir).filter(e -> e.metadata().isDirectory()).isPresent())) {
          break;
        }
        String d = dir;
        out.put(dir, parentMetadata.apply(dir).filter(p -> p.metadata().type() == EntryType.DIR).map(p -> p.withPath(d))
            .orElse(LayerEntry.directory(dir, 0755, 0, 0)));
      }
    }
    return List.copyOf(out.values());
  }
}
