package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Layout files in a directory. A symlink is followed only when it stays inside the directory. */
final class DirectoryLayoutFiles implements LayoutFiles {
  private final Path realDir;
  private final String where;

  DirectoryLayoutFiles(Path dir, String where) throws IOException {
    this.realDir = dir.toRealPath();
    this.where = where;
  }

  private Path resolve(String name) throws IOException {
    Path p = realDir.resolve(name);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    // A symlinked blob could point anywhere on the host: only follow it if it stays inside.
    Path real = p.toRealPath();
    if (!real.startsWith(realDir) || !Files.isRegularFile(real)) {
      throw new OciFormatException(where + ": '" + name + "' is not a regular file inside the layout");
    }
    return real;
  }

  @Override
  public long size(String name) throws IOException {
    Path p = resolve(name);
    return p == null ? -1 : Files.size(p);
  }

  @Override
  public InputStream open(String name) throws IOException {
    Path p = resolve(name);
    if (p == null) {
      throw new java.nio.file.NoSuchFileException(realDir.resolve(name).toString());
    }
    return Files.newInputStream(p);
  }

  @Override
  public void close() {}
}
