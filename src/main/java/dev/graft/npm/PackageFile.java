package dev.graft.npm;

import java.util.Objects;

/**
 * One regular file of an unpacked npm tarball: its path inside the package (the tarball's first
 * path segment, normally {@code package/}, stripped), the mode its tar header gives and its size.
 */
public record PackageFile(String path, int tarMode, long size) {
  public PackageFile {
    Objects.requireNonNull(path, "path");
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("package file path must be relative: " + path);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
    tarMode &= 07777;
  }
}
