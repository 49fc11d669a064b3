package dev.graft.layer;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry as a layer's tar declares it, after PAX and GNU long-name records are applied.
 * {@code path} is absolute and normalised ({@code /usr/bin/node}; {@code /} for the root);
 * {@code linkTarget} is the symlink text as written, or for hardlinks the normalised absolute
 * path of the target. {@code ordinal} counts entries in the layer (re-reading finds it again).
 */
public record TarEntry(
    long ordinal,
    String path,
    EntryType type,
    int mode,
    long uid,
    long gid,
    long size,
    String linkTarget,
    int devMajor,
    int devMinor,
    SortedMap<String, Bytes> xattrs) {
  public TarEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs == null ? Collections.emptySortedMap() : xattrs));
  }

  /** The file name (last component); empty for the root. */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The parent path ({@code /} for top-level entries). */
  public String parent() {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
