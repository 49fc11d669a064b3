package dev.graft.layer;

import java.util.Objects;

/**
 * One entry to write into a new layer. {@code path} is absolute; for a hardlink the metadata's
 * link target is the absolute path of another entry of the same layer. Files need
 * {@code content} with exactly their size in bytes; hardlinks may carry it too, and then become
 * files when their target is not part of the layer.
 */
public record LayerEntry(String path, EntryMetadata metadata, ContentSource content) {
  public LayerEntry {
    Objects.requireNonNull(metadata, "metadata");
    if (path == null || !path.startsWith("/") || path.equals("/") || !TarPaths.clean(path).equals(path)) {
      throw new IllegalArgumentException("layer entry path must be absolute, clean and not '/': " + path);
    }
    if (metadata.type() == EntryType.FILE && content == null) {
      throw new IllegalArgumentException("file " + path + " needs content");
    }
  }

  public static LayerEntry directory(String path, int mode, long uid, long gid) {
    return new LayerEntry(path, EntryMetadata.directory(mode, uid, gid), null);
  }

  public static LayerEntry symlink(String path, String target, long uid, long gid) {
    return new LayerEntry(path, EntryMetadata.symlink(target, uid, gid), null);
  }

  public static LayerEntry file(String path, int mode, long uid, long gid, long size, ContentSource content) {
    return new LayerEntry(path, EntryMetadata.file(mode, uid, gid, size), content);
  }

  public LayerEntry withPath(String p) {
    return new LayerEntry(p, metadata, content);
  }

  public LayerEntry withMetadata(EntryMetadata m) {
    return new LayerEntry(path, m, content);
  }

  /** This entry as a hardlink to {@code target}, keeping its content (to become a file again if need be). */
  public LayerEntry asHardlinkTo(String target) {
    return new LayerEntry(path, metadata.asHardlinkTo(target), content);
  }

  /** A file at this path with {@code source}'s metadata and content (one of a hardlink group). */
  public LayerEntry asFile(LayerEntry source) {
    return new LayerEntry(path, source.metadata.asFile(), source.content);
  }
}
