package dev.graft.fs;

import dev.graft.layer.Bytes;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import java.util.Objects;
import java.util.SortedMap;

/**
 * One path of a merged image filesystem. {@code linkTarget} is the symlink text, or for a
 * {@link EntryType#HARDLINK} the absolute path it was linked to; a hardlink carries its target's
 * metadata and {@code content} (they share an inode). {@code content} is null except for files
 * and hardlinks.
 */
public record TreeEntry(
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
    ContentRef content) {
  public TreeEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("node path must be absolute: " + path);
    }
    if ((type == EntryType.FILE || type == EntryType.HARDLINK) != (content != null)) {
      throw new IllegalArgumentException("content reference must be set exactly for files: " + path);
    }
    linkTarget = linkTarget == null ? "" : linkTarget;
    xattrs = LayerEntry.copyOfXattrs(xattrs);
  }

  public boolean isDirectory() {
    return type == EntryType.DIR;
  }

  public boolean isSymlink() {
    return type == EntryType.SYMLINK;
  }

  /** Files and hardlinks: nodes with bytes. */
  public boolean isRegular() {
    return type == EntryType.FILE || type == EntryType.HARDLINK;
  }

  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  TreeEntry withPath(String newPath) {
    return new TreeEntry(newPath, type, mode, uid, gid, size, linkTarget, devMajor, devMinor, xattrs, content);
  }
}
