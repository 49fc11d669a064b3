package dev.graft.layer;

import java.util.Objects;

/**
 * One entry as a layer's tar declares it, after PAX and GNU long-name records are applied.
 * {@code path} is absolute and normalised ({@code /usr/bin/node}; {@code /} for the root); in
 * {@code metadata} the link target is the symlink text as written, or for hardlinks the normalised
 * absolute path of the target. {@code ordinal} counts entries in the layer (re-reading finds it again).
 */
public record TarEntry(long ordinal, String path, EntryMetadata metadata) {
  public TarEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(metadata, "metadata");
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
