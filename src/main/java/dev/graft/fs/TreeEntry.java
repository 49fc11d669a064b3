package dev.graft.fs;

import dev.graft.layer.EntryMetadata;
import dev.graft.layer.EntryType;
import java.util.Objects;

/**
 * One path of a merged image filesystem. The metadata's link target is the symlink text, or for a
 * {@link EntryType#HARDLINK} the absolute path it was linked to; a hardlink carries its target's
 * metadata and {@code content} (they share an inode). {@code content} is null except for files
 * and hardlinks.
 */
public record TreeEntry(String path, EntryMetadata metadata, ContentRef content) {
  public TreeEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(metadata, "metadata");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("node path must be absolute: " + path);
    }
    if (metadata.isRegular() != (content != null)) {
      throw new IllegalArgumentException("content reference must be set exactly for files: " + path);
    }
  }

  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  TreeEntry withPath(String newPath) {
    return new TreeEntry(newPath, metadata, content);
  }
}
