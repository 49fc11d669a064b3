package dev.graft.layer;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a filesystem entry is, apart from its path and its bytes: the one set of fields a tar
 * header declares ({@link TarEntry}), a merged tree keeps ({@code fs.TreeEntry}), a new layer is
 * written from ({@link LayerEntry}) and the rebuild caches store ({@link CacheFile}). Holding it
 * once means a value crosses those boundaries whole instead of being copied field by field.
 *
 * <p>{@code size} is the content length: only files, and hardlinks (which share their target's
 * inode and bytes), have one; it is 0 for every other type. {@code linkTarget} is the symlink text
 * as written, or for a hardlink the absolute path of the file it links to; empty for other types.
 * Device numbers matter for character and block devices; they are kept as the source declared
 * them for the others, as a layer's bytes depend on them.
 */
public record EntryMetadata(
    EntryType type,
    int mode,
    long uid,
    long gid,
    long size,
    String linkTarget,
    int devMajor,
    int devMinor,
    SortedMap<String, Bytes> xattrs) {
  public EntryMetadata {
    Objects.requireNonNull(type, "type");
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has bits beyond permissions (07777)");
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative owner " + uid + ":" + gid);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    if (!type.hasContent()) {
      size = 0; // directories, links and devices carry no bytes whatever size a source declares
    }
    linkTarget = linkTarget == null ? "" : linkTarget;
    if (type.isLink() == linkTarget.isEmpty()) {
      throw new IllegalArgumentException(type.isLink()
          ? "a " + type.name().toLowerCase(java.util.Locale.ROOT) + " needs a target"
          : "only links have a target, not a " + type.name().toLowerCase(java.util.Locale.ROOT));
    }
    // Most entries have none: one shared empty map, as a TreeMap and its wrapper per entry cost
    // ~80 bytes, 200 MB for a selection of a million files (NOTES.md, Trust).
    xattrs = xattrs == null || xattrs.isEmpty()
        ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
  }

  public static EntryMetadata directory(int mode, long uid, long gid) {
    return new EntryMetadata(EntryType.DIR, mode, uid, gid, 0, "", 0, 0, null);
  }

  /** A symlink: mode 0777, as Linux shows every symlink. */
  public static EntryMetadata symlink(String target, long uid, long gid) {
    return new EntryMetadata(EntryType.SYMLINK, 0777, uid, gid, 0, target, 0, 0, null);
  }

  public static EntryMetadata file(int mode, long uid, long gid, long size) {
    return new EntryMetadata(EntryType.FILE, mode, uid, gid, size, "", 0, 0, null);
  }

  /** Files and hardlinks: entries with bytes. */
  public boolean isRegular() {
    return type.hasContent();
  }

  public boolean isDirectory() {
    return type == EntryType.DIR;
  }

  public boolean isSymlink() {
    return type == EntryType.SYMLINK;
  }

  public EntryMetadata withMode(int newMode) {
    return new EntryMetadata(type, newMode, uid, gid, size, linkTarget, devMajor, devMinor, xattrs);
  }

  public EntryMetadata withOwner(long newUid, long newGid) {
    return new EntryMetadata(type, mode, newUid, newGid, size, linkTarget, devMajor, devMinor, xattrs);
  }

  /** This file's metadata as a hardlink to {@code target} (sharing its mode, owner, size and xattrs). */
  public EntryMetadata asHardlinkTo(String target) {
    return new EntryMetadata(EntryType.HARDLINK, mode, uid, gid, size, target, 0, 0, xattrs);
  }

  /** This file's or hardlink's metadata as a file of its own (the same mode, owner, size and xattrs). */
  public EntryMetadata asFile() {
    return new EntryMetadata(EntryType.FILE, mode, uid, gid, size, "", 0, 0, xattrs);
  }
}
