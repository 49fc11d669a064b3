package dev.graft.verify.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link ImageFiles} over an unpacked root filesystem on the host (tests; {@code graft verify}
 * on a directory). Every component of a path is checked with lstat, so a symlink inside the
 * tree (Debian's {@code /lib -> usr/lib}, or a hostile {@code /lib -> /}) is never followed
 * on the host: callers resolve it inside the image with {@link ImagePaths}.
 */
public final class HostDirImageFiles implements ImageFiles {
  private final Path root;

  public HostDirImageFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException(root + " is not a directory");
    }
  }

  public Path root() {
    return root;
  }

  /** The host path for an image path, if every parent is a real directory (not a symlink). */
  private Optional<Path> host(String absPath) {
    List<String> parts = ImagePaths.components(absPath);
    Path p = root;
    for (int i = 0; i < parts.size(); i++) {
      p = p.resolve(parts.get(i));
      if (i < parts.size() - 1 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    }
    return Optional.of(p);
  }

  @Override
  public Optional<Entry> lstat(String absPath) {
    Optional<Path> hp = host(absPath);
    if (hp.isEmpty()) {
      return Optional.empty();
    }
    try {
      PosixFileAttributes a = Files.readAttributes(hp.get(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      int mode = 0;
      for (PosixFilePermission perm : a.permissions()) {
        mode |= 1 << (8 - perm.ordinal()); // OWNER_READ is ordinal 0 = 0400
      }
      if (a.isSymbolicLink()) {
        return Optional.of(new Entry(Type.SYMLINK, Files.readSymbolicLink(hp.get()).toString(), mode, 0));
      }
      Type t = a.isRegularFile() ? Type.FILE : a.isDirectory() ? Type.DIRECTORY : Type.OTHER;
      return Optional.of(new Entry(t, null, mode, a.size()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path regularFile(String absPath) throws IOException {
    Optional<Entry> e = lstat(absPath);
    if (e.isEmpty() || !e.get().isFile()) {
      throw new IOException(absPath + ": not a regular file in " + root);
    }
    return host(absPath).orElseThrow();
  }

  @Override
  public InputStream open(String absPath) throws IOException {
    return Files.newInputStream(regularFile(absPath), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public SeekableByteChannel openChannel(String absPath) throws IOException {
    return Files.newByteChannel(regularFile(absPath), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public List<String> list(String absPath) {
    Optional<Entry> e = lstat(absPath);
    if (e.isEmpty() || !e.get().isDirectory()) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(host(absPath).orElseThrow())) {
      List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
      names.sort(null);
      return List.copyOf(names);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
