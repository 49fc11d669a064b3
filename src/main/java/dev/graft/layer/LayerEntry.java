package dev.graft.layer;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry to write into a new layer. {@code path} is absolute; for a hardlink
 * {@code linkTarget} is the absolute path of another entry of the same layer. Files need
 * {@code content} with exactly {@code size} bytes; hardlinks may carry it too, and then become
 * files when their target is not part of the layer.
 */
public record LayerEntry(
    String path,
    EntryType type,
    int mode,
    long uid,
    long gid,
    long size,
    String linkTarget,
    int devMajor,
    int devMinor,
    SortedMap<String, Bytes> xattrs,
    ContentSource content) {
  public LayerEntry {
    Objects.requireNonNull(type, "type");
    if (path == null || !path.startsWith("/") || path.equals("/") || !TarPaths.clean(path).equals(path)) {
      throw new IllegalArgumentException("layer entry path must be absolute, clean and not '/': " + path);
    }
    if ((mode & ~07777) != 0 || uid < 0 || gid < 0 || size < 0) {
      throw new IllegalArgumentException("bad mode/owner/size for " + path);
    }
    linkTarget = linkTarget == null ? "" : linkTarget;
    if ((type == EntryType.SYMLINK || type == EntryType.HARDLINK) && linkTarget.isEmpty()) {
      throw new IllegalArgumentException(type + " " + path + " needs a target");
    }
    if (type == EntryType.FILE && content == null) {
      throw new IllegalArgumentException("file " + path + " needs content");
    }
    if (type != EntryType.FILE && type != EntryType.HARDLINK) {
      size = 0; // a hardlink may carry its content, to become a file if its target is not in the layer
    }
    xattrs = copyOfXattrs(xattrs);
  }

  /**
   * An unmodifiable copy of {@code xattrs}; the one shared empty map when there are none (most
   * entries): a TreeMap and its wrapper per entry cost ~80 bytes, 200 MB for a selection of a
   * million files (NOTES.md, Trust).
   */
  public static SortedMap<String, Bytes> copyOfXattrs(SortedMap<String, Bytes> xattrs) {
    return xattrs == null || xattrs.isEmpty() ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
  }

  public static LayerEntry directory(String path, int mode, long uid, long gid) {
    return new LayerEntry(path, EntryType.DIR, mode, uid, gid, 0, "", 0, 0, null, null);
  }

  public static LayerEntry symlink(String path, String target, long uid, long gid) {
    return new LayerEntry(path, EntryType.SYMLINK, 0777, uid, gid, 0, target, 0, 0, null, null);
  }

  public static LayerEntry file(String path, int mode, long uid, long gid, long size, ContentSource content) {
    return new LayerEntry(path, EntryType.FILE, mode, uid, gid, size, "", 0, 0, null, content);
  }

  public LayerEntry withPath(String p) {
    return new LayerEntry(p, type, mode, uid, gid, size, linkTarget, devMajor, devMinor, xattrs, content);
  }

  public LayerEntry asHardlinkTo(String target) {
    return new LayerEntry(path, EntryType.HARDLINK, mode, uid, gid, size, target, 0, 0, xattrs, content);
  }

  public LayerEntry asFile(LayerEntry source) {
    return new LayerEntry(path, EntryType.FILE, source.mode, source.uid, source.gid, source.size, "", 0, 0,
        source.xattrs, source.content);
  }

  TarEntry toTarEntry() {
    return new TarEntry(0, path, type, mode, uid, gid, size, linkTarget, devMajor, devMinor, xattrs);
  }
}
