package dev.graft.verify.image;

import java.util.List;
import java.util.Objects;

/**
 * Where a path leads inside an image.
 *
 * @param requested the path as asked for
 * @param path the final path with no symlink left in it
 * @param symlinks every symlink passed on the way, as absolute image paths, in order
 * @param entry what is at {@code path}
 */
public record ResolvedPath(String requested, String path, List<String> symlinks, ImageFiles.Entry entry) {
  public ResolvedPath {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(path, "path");
    symlinks = List.copyOf(symlinks);
    Objects.requireNonNull(entry, "entry");
  }
}
