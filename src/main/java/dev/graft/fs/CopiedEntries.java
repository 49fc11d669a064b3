package dev.graft.fs;

import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a selection from a source image into layer entries placed onto a base image. */
public final class CopiedEntries {
  private CopiedEntries() {}

  /**
   * The entries of a layer that copies {@code selection} out of {@code source} onto {@code base}
   * (null: no base known). Contents come from {@code spool} (read when the layer is written).
   */
  public static List<LayerEntry> entries(FileTree source, Selection selection, String image, FileTree base,
      ContentSpool spool) {
    List<SelectedEntry> selected = Selector.select(source, selection, image);
    Map<String, String> destinationOf = new HashMap<>();
    selected.forEach(s -> destinationOf.put(s.source().path(), s.destination()));
    List<LayerEntry> entries = new ArrayList<>();
    for (SelectedEntry s : selected) {
      entries.add(toEntry(s.source(), s.destination(), destinationOf, spool));
    }
    return Placement.place(entries, base, dir -> parentFromSource(source, selection, dir));
  }

  static LayerEntry toEntry(TreeEntry n, String destination, Map<String, String> destinationOf, ContentSpool spool) {
    EntryMetadata m = n.metadata();
    return switch (m.type()) {
      case FILE -> new LayerEntry(destination, m.asFile(), spool.source(n));
      // Linked to its selected target when there is one; otherwise the writer makes it a file.
      case HARDLINK -> new LayerEntry(destination,
          m.asHardlinkTo(destinationOf.getOrDefault(m.linkTarget(), m.linkTarget())), spool.source(n));
      default -> new LayerEntry(destination, m, null);
    };
  }

  /** A missing parent takes the metadata of the directory it was copied from, when there is one. */
  private static Optional<LayerEntry> parentFromSource(FileTree source, Selection selection, String dir) {
    String sourcePath = dir;
    if (selection.to() != null && dev.graft.layer.TarPaths.isWithin(dir, selection.to())) {
      sourcePath = dev.graft.layer.TarPaths.clean(selection.from() + "/" + dir.substring(selection.to().length()));
    }
    return source.lookup(sourcePath).map(TreeEntry::metadata).filter(EntryMetadata::isDirectory)
        .map(m -> LayerEntry.directory(dir, m.mode(), m.uid(), m.gid()));
  }
}
