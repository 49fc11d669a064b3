package dev.graft.fs;

import dev.graft.layer.EntryMetadata;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerBlob;
import dev.graft.layer.LayerFormatException;
import dev.graft.layer.TarEntry;
import dev.graft.layer.TarPaths;
import dev.graft.layer.TarReader;
import dev.graft.oci.Printable;
import java.io.IOException;
import java.util.List;

/**
 * Applies layers in order, as an OCI runtime would unpack them, keeping only metadata (in a
 * {@link TreeIndex}). An entry whose parent resolves through a symlink is placed where that link
 * leads, inside the image root (securejoin's rule, which containerd, runc and umoci follow).
 * Whiteouts and opaque markers hide only what lower layers added (OCI image spec, "Whiteouts"),
 * which is also why an opaque marker's position within its layer does not matter.
 */
final class FileTreeBuilder {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final TreeIndex index = new TreeIndex();
  private final KeptContents kept; // null: nothing is copied

  FileTreeBuilder() {
    this(null);
  }

  FileTreeBuilder(KeptContents kept) {
    this.kept = kept;
  }

  void apply(int layer, TarReader reader) throws IOException {
    for (TarEntry e = reader.next(); e != null; e = reader.next()) {
      if (e.path().equals("/")) {
        index.set(TreeIndex.ROOT, directory("/", e), layer);
        continue;
      }
      String parent = resolveParent(e.parent());
      int dir = ensureDirectory(parent, e, reader, layer);
      String name = e.name();
      if (name.equals(OPAQUE)) {
        removeChildren(dir, layer);
        continue;
      }
      if (name.equals(WHITEOUT)) {
        throw new LayerFormatException("layer " + reader.layer() + ": whiteout '" + Printable.path(e.path())
            + "' names no file");
      }
      if (name.startsWith(WHITEOUT)) {
        int hidden = index.child(dir, name.substring(WHITEOUT.length()));
        if (hidden >= 0) {
          removeTree(hidden, layer);
        }
        continue;
      }
      String path = TarPaths.join(parent, name);
      int existing = index.child(dir, name);
      if (e.metadata().type() == EntryType.DIR && existing >= 0 && index.type(existing) == EntryType.DIR) {
        index.set(existing, directory(path, e), layer); // dir over dir merges: children stay
        continue;
      }
      TreeEntry node = toNode(path, e, layer, reader);
      if (kept != null && e.metadata().type() == EntryType.FILE && kept.wants(path, e.metadata())) {
        kept.keep(node.content(), reader.content());
      }
      if (existing >= 0) {
        removeTree(existing, Integer.MAX_VALUE);
        if (index.parent(existing) != -2) { // kept: it still holds what this layer put below it
          index.set(existing, node, layer);
          continue;
        }
      }
      index.add(dir, name, node, layer);
    }
  }

  /** Puts back a node remembered from an earlier build (parents come before their children). */
  void restore(TreeEntry n) throws java.io.IOException {
    if (n.path().equals("/")) {
      index.set(TreeIndex.ROOT, n, -1);
      return;
    }
    int dir = index.find(TarPaths.parent(n.path()));
    if (dir < 0 || index.type(dir) != EntryType.DIR || index.child(dir, n.name()) >= 0) {
      throw new java.io.IOException("remembered tree lists " + n.path() + " out of order");
    }
    index.add(dir, n.name(), n, -1);
  }

  FileTree build(List<LayerBlob> layers) {
    index.freeze();
    return new FileTree(layers, index, kept);
  }

  private static TreeEntry directory(String path, TarEntry e) {
    EntryMetadata m = e.metadata();
    return new TreeEntry(path, new EntryMetadata(EntryType.DIR, m.mode(), m.uid(), m.gid(), 0, "", 0, 0, m.xattrs()),
        null);
  }

  private TreeEntry toNode(String path, TarEntry e, int layer, TarReader reader) throws LayerFormatException {
    String link = e.metadata().linkTarget();
    if (e.metadata().type() == EntryType.HARDLINK) {
      String target = TarPaths.join(resolveParent(TarPaths.parent(link)), TarPaths.name(link));
      int t = index.find(target);
      if (t < 0 || !(index.type(t) == EntryType.FILE || index.type(t) == EntryType.HARDLINK)) {
        throw new LayerFormatException("layer " + reader.layer() + ": hardlink '" + Printable.path(e.path())
            + "' points to '" + Printable.path(link) + "', which is not a regular file in this or a lower layer");
      }
      TreeEntry n = index.node(t, target);
      return new TreeEntry(path, n.metadata().asHardlinkTo(target), n.content());
    }
    ContentRef content = e.metadata().type() == EntryType.FILE ? new ContentRef(layer, e.ordinal()) : null;
    return new TreeEntry(path, e.metadata(), content);
  }

  private String resolveParent(String parent) {
    return Resolver.resolve(this::symlinkTarget, parent, true);
  }

  private String symlinkTarget(String path) {
    int id = index.find(path);
    return id < 0 ? null : index.symlinkTarget(id);
  }

  /** Creates missing ancestors as runtimes do (0755 root:root); a file in the way is an error. */
  private int ensureDirectory(String dir, TarEntry e, TarReader reader, int layer) throws LayerFormatException {
    int id = index.find(dir);
    if (id >= 0) {
      if (index.type(id) != EntryType.DIR) {
        throw new LayerFormatException("layer " + reader.layer() + ": entry '" + Printable.path(e.path())
            + "' needs directory '" + Printable.path(dir) + "', which is a "
            + index.type(id).name().toLowerCase(java.util.Locale.ROOT) + " in the image");
      }
      return id;
    }
    int parent = ensureDirectory(TarPaths.parent(dir), e, reader, layer);
    return index.add(parent, TarPaths.name(dir), new TreeEntry(dir, EntryMetadata.directory(0755, 0, 0), null),
        layer);
  }

  /**
   * Removes {@code id} and what is below it where layers below {@code layer} put them. Entries this
   * layer added survive, whatever order the tar lists them in, and so does a directory holding one.
   */
  private void removeTree(int id, int layer) {
    removeChildren(id, layer);
    if (index.addedIn(id) < layer && index.firstChild(id) < 0) {
      index.remove(id);
    }
  }

  private void removeChildren(int dir, int layer) {
    for (int c = index.firstChild(dir); c >= 0; ) {
      int next = index.nextSibling(c);
      removeTree(c, layer);
      c = next;
    }
  }
}
