package dev.graft.fs;

import dev.graft.layer.EntryType;
import dev.graft.layer.LayerFormatException;
import dev.graft.layer.TarEntry;
import dev.graft.layer.TarPaths;
import dev.graft.layer.TarReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Applies layers in order, as an OCI runtime would unpack them, keeping only metadata. Whiteouts
 * and opaque markers hide only what lower layers added (OCI image spec, "Whiteouts"), which is
 * also why an opaque marker's position within its layer does not matter.
 */
final class FileTreeBuilder {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final TreeMap<String, TreeEntry> nodes = new TreeMap<>();
  private final Map<String, Integer> addedIn = new HashMap<>();

  FileTreeBuilder() {
    nodes.put("/", new TreeEntry("/", EntryType.DIR, 0755, 0, 0, 0, "", 0, 0, null, null));
    addedIn.put("/", -1);
  }

  void apply(int layer, TarReader reader) throws IOException {
    for (TarEntry e = reader.next(); e != null; e = reader.next()) {
      if (e.path().equals("/")) {
        replaceMetadata("/", e, layer);
        continue;
      }
      String parent = parentDir(e, reader, layer);
      String name = e.name();
      if (name.equals(OPAQUE)) {
        removeBelow(parent, layer, false);
        continue;
      }
      if (name.equals(WHITEOUT)) {
        throw new LayerFormatException("layer " + reader.layer() + ": whiteout '" + e.path() + "' names no file");
      }
      if (name.startsWith(WHITEOUT)) {
        String hidden = TarPaths.join(parent, name.substring(WHITEOUT.length()));
        removeBelow(hidden, layer, true);
        continue;
      }
      String path = TarPaths.join(parent, name);
      TreeEntry existing = nodes.get(path);
      if (e.type() == EntryType.DIR && existing != null && existing.isDirectory()) {
        replaceMetadata(path, e, layer); // dir over dir merges: children stay
        continue;
      }
      if (existing != null) {
        removeBelow(path, Integer.MAX_VALUE, true);
      }
      put(path, toNode(path, e, layer, reader), layer);
    }
  }

  FileTree build(java.util.List<dev.graft.layer.LayerBlob> layers) {
    return new FileTree(layers, nodes);
  }

  private TreeEntry toNode(String path, TarEntry e, int layer, TarReader reader) throws LayerFormatException {
    if (e.type() == EntryType.HARDLINK) {
      String target = TarPaths.join(resolveParent(TarPaths.parent(e.linkTarget())), TarPaths.name(e.linkTarget()));
      TreeEntry t = nodes.get(target);
      if (t == null || !t.isRegular()) {
        throw new LayerFormatException("layer " + reader.layer() + ": hardlink '" + e.path() + "' points to '"
            + e.linkTarget() + "', which is not a regular file in this or a lower layer");
      }
      return new TreeEntry(path, EntryType.HARDLINK, t.mode(), t.uid(), t.gid(), t.size(), target, 0, 0, t.xattrs(),
          t.content());
    }
    ContentRef content = e.type() == EntryType.FILE ? new ContentRef(layer, e.ordinal()) : null;
    return new TreeEntry(path, e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.linkTarget(), e.devMajor(),
        e.devMinor(), e.xattrs(), content);
  }

  /** The directory an entry lands in: its parent path with the tree's symlinks followed. */
  private String parentDir(TarEntry e, TarReader reader, int layer) throws LayerFormatException {
    String parent = resolveParent(e.parent());
    ensureDirectory(parent, e, reader, layer);
    return parent;
  }

  private String resolveParent(String parent) {
    return Resolver.resolve(nodes::get, parent, true);
  }

  /** Creates missing ancestors as runtimes do (0755 root:root); a file in the way is an error. */
  private void ensureDirectory(String dir, TarEntry e, TarReader reader, int layer) throws LayerFormatException {
    TreeEntry n = nodes.get(dir);
    if (n != null) {
      if (!n.isDirectory()) {
        throw new LayerFormatException("layer " + reader.layer() + ": entry '" + e.path() + "' needs directory '"
            + dir + "', which is a " + n.type().name().toLowerCase(java.util.Locale.ROOT) + " in the image");
      }
      return;
    }
    ensureDirectory(TarPaths.parent(dir), e, reader, layer);
    put(dir, new TreeEntry(dir, EntryType.DIR, 0755, 0, 0, 0, "", 0, 0, null, null), layer);
  }

  private void replaceMetadata(String path, TarEntry e, int layer) {
    nodes.put(path, new TreeEntry(path, EntryType.DIR, e.mode(), e.uid(), e.gid(), 0, "", 0, 0, e.xattrs(), null));
    addedIn.put(path, layer);
  }

  private void put(String path, TreeEntry node, int layer) {
    nodes.put(path, node);
    addedIn.put(path, layer);
  }

  /**
   * Removes what layers below {@code layer} put at and under {@code path} ({@code self}: the path
   * itself too). Entries this layer added survive, whatever order the tar lists them in.
   */
  private void removeBelow(String path, int layer, boolean self) {
    if (self) {
      removeIfLower(path, layer);
    }
    String prefix = path.equals("/") ? "/" : path + "/";
    NavigableMap<String, TreeEntry> below = nodes.subMap(prefix, false, prefix + Character.MAX_VALUE, false);
    for (String p : new java.util.ArrayList<>(below.keySet())) {
      removeIfLower(p, layer);
    }
  }

  private void removeIfLower(String path, int layer) {
    Integer added = addedIn.get(path);
    if (added != null && added < layer && !path.equals("/")) {
      nodes.remove(path);
      addedIn.remove(path);
    }
  }
}
