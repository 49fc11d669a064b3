package dev.graft.assemble;

import dev.graft.fs.FileTree;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A builder's directory link must not replace a base's real directory: a merged-usr Debian builder
 * has {@code /lib -> usr/lib}, and grafting that link onto Alpine would hide Alpine's own
 * {@code /lib} (its musl loader with it). The link is left out; instead each of its selected
 * children gets a link at the old path ({@code /lib/x86_64-linux-gnu -> /usr/lib/x86_64-linux-gnu}),
 * so paths that went through the builder's link (the ELF interpreter, libraries' own links) still
 * resolve in the new image.
 */
final class KeepBaseDirectories {
  private KeepBaseDirectories() {}

  static List<LayerEntry> apply(List<LayerEntry> entries, FileTree base) {
    if (base == null) {
      return entries;
    }
    Map<String, LayerEntry> byPath = new TreeMap<>();
    entries.forEach(e -> byPath.put(e.path(), e));
    List<LayerEntry> links = new ArrayList<>();
    for (LayerEntry e : entries) {
      if (e.metadata().isSymlink() && base.lookup(e.path()).filter(n -> n.metadata().isDirectory()).isPresent()) {
        links.add(e);
      }
    }
    for (LayerEntry link : links) {
      byPath.remove(link.path());
      EntryMetadata linked = link.metadata();
      String target = TarPaths.clean(linked.linkTarget().startsWith("/") ? linked.linkTarget()
          : TarPaths.parent(link.path()) + "/" + linked.linkTarget());
      for (String path : List.copyOf(byPath.keySet())) {
        if (!path.equals(target) && TarPaths.isWithin(path, target)) {
          String child = path.substring(target.length() + 1).split("/", 2)[0];
          String at = TarPaths.join(link.path(), child);
          if (!byPath.containsKey(at) && base.lookup(at).isEmpty()) {
            byPath.put(at, LayerEntry.symlink(at, TarPaths.join(target, child), linked.uid(), linked.gid()));
          }
        }
      }
    }
    return List.copyOf(byPath.values());
  }
}
