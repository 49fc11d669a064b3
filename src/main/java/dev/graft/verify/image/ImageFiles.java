package dev.graft.verify.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * A read-only view of an image's merged filesystem, as much as verification needs. Paths are
 * absolute and normalised ({@code /usr/lib/libc.so}); implementations follow no symlink in any
 * component: callers resolve symlinks with {@link ImagePaths}, inside the image, never on the host.
 * A path whose parent is not a directory (or is a symlink) does not exist.
 */
public interface ImageFiles {
  /** Largest file {@link #openChannel} reads into memory by default. */
  long MAX_IN_MEMORY = 512L << 20;

  enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

  /** One entry: for symlinks {@code linkTarget} is the raw target text. */
  record Entry(Type type, String linkTarget, int mode, long size) {
    public Entry {
      Objects.requireNonNull(type, "type");
      if ((type == Type.SYMLINK) != (linkTarget != null)) {
        throw new IllegalArgumentException("a link target is given exactly for symlinks");
      }
    }

    public boolean isFile() {
      return type == Type.FILE;
    }

    public boolean isDirectory() {
      return type == Type.DIRECTORY;
    }

    public boolean isSymlink() {
      return type == Type.SYMLINK;
    }
  }

  /** The entry at {@code absPath} itself (a symlink is not followed). */
  Optional<Entry> lstat(String absPath);

  /** The content of the regular file at {@code absPath}. */
  InputStream open(String absPath) throws IOException;

  /** Names (not paths) in the directory {@code absPath}, sorted; empty if it is no directory. */
  List<String> list(String absPath);

  /**
   * A name for the content of the regular file at {@code absPath} that stays the same across runs
   * exactly as long as the bytes do (a digest, or a layer digest and the file's place in it), so a
   * verification can be reused without reading the file ({@link VerifyTrace}); empty when the view
   * cannot name it cheaply.
   */
  default Optional<String> contentId(String absPath) {
    return Optional.empty();
  }

  /** Random access to a regular file, for ELF parsing; by default read into memory (bounded). */
  default SeekableByteChannel openChannel(String absPath) throws IOException {
    Entry e = lstat(absPath).orElseThrow(() -> new IOException(absPath + ": no such file in the image"));
    if (e.size() > MAX_IN_MEMORY) {
      throw new IOException(absPath + ": " + e.size() + " bytes is more than graft reads into memory");
    }
    try (InputStream in = open(absPath)) {
      return new SeekableInMemoryByteChannel(in.readNBytes((int) e.size()));
    }
  }
}
