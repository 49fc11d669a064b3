package dev.graft.fs;

import dev.graft.layer.EntryType;
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
    return switch (n.type()) {
      case FILE -> new LayerEntry(destination, EntryType.FILE, n.mode(), n.uid(), n.gid(), n.size(), "", 0, 0,
          n.xattrs(), spool.source(n));
      case HARDLINK -> {
        // Linked to its selected target when there is one; otherwise the writer makes it a file.
        String target = destinationOf.getOrDefault(n.linkTarget(), n.linkTarget());
        yield new LayerEntry(destination, EntryType.HARDLINK, n.mode(), n.uid(), n.gid(), n.size(), target, 0, 0,
            n.xattrs(), spool.source(n));
      }
      default -> new LayerEntry(destination, n.type(), n.mode(), n.uid(), n.gid(), 0, n.linkTarget(), n.devMajor(),
          n.devMinor(), n.xattrs(), null);
    };
  }

  /** A missing parent takes the metadata of the directory it was copied from, when there is one. */
  private static Optional<LayerEntry> parentFromSource(FileTree source, Selection selection, String dir) {
    String sourcePath = dir;
    if (selection.to() != null && dev.graft.layer.TarPaths.isWithin(dir, selection.to())) {
      sourcePath = dev.graft.layer.TarPaths.clean(selection.from() + "/" + dir.substring(selection.to().length()));
    }
    return source.lookup(sourcePath).filter(TreeEntry::isDirectory)
        .map(n -> LayerEntry.directory(dir, n.mode(), n.uid(), n.gid()));
  }
}
