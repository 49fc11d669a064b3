package dev.graft.oci;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a local target may be before graft writes it. An archive is written only to a new path or
 * over a regular file, a layout only into a new path or a real directory: a rename over
 * {@code /dev/full}, a FIFO, a socket or a symlink (to {@code /proc/self/fd/1}, to someone else's
 * file) would replace or redirect something graft was never asked to touch. Checked when the
 * target is opened and again just before the final rename.
 */
public final class TargetPath {
  private TargetPath() {}

  /** @throws IOException naming the target, what is there and the fix, unless it is new or a regular file */
  public static void requireFileOrNew(ImageRef ref, Path target) throws IOException {
    String kind = kind(target);
    if (kind != null && !kind.equals("a regular file")) {
      throw new OciFormatException("refusing to write " + ref + ": " + target + " is " + kind
          + "; graft writes an archive only to a new path or over a regular file (name another path)");
    }
  }

  /**
   * @throws IOException naming the file, what is there and the fix, unless it is new or a regular
   *     file (any file graft writes: an SBOM, the files beside an archive, a layout's own files)
   */
  public static void requireFileOrNew(Path target) throws IOException {
    String kind = kind(target);
    if (kind != null && !kind.equals("a regular file")) {
      throw new OciFormatException("refusing to write " + target + ": it is " + kind
          + "; graft writes a file only to a new path or over a regular file (remove it or name another path)");
    }
  }

  /** @throws IOException unless the layout directory is new or a real directory (not a link to one) */
  public static void requireDirectoryOrNew(ImageRef ref, Path target) throws IOException {
    String kind = kind(target);
    if (kind != null && !kind.equals("a directory")) {
      throw new OciFormatException("refusing to write " + ref + ": " + target + " is " + kind
          + "; graft writes an OCI layout only into a new path or a directory (name another path)");
    }
  }

  /** What is at {@code p}, in words, or null when nothing is (links are not followed). */
  static String kind(Path p) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      return Files.isSymbolicLink(p) ? "a symlink" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "a directory"
          : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "a regular file" : "a special file";
    }
    return switch (mode & 0170000) {
      case 0100000 -> "a regular file";
      case 0040000 -> "a directory";
      case 0120000 -> "a symlink (to " + Files.readSymbolicLink(p) + ")";
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      case 0010000 -> "a FIFO";
      case 0140000 -> "a socket";
      default -> "a special file";
    };
  }

  /** Forces a file's bytes to disk, so a rename never publishes a name whose content is not there yet. */
  static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Forces a directory's entries (a rename into it) to disk; quiet where directories cannot be opened. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every file system lets a directory be opened: the rename is still atomic
    }
  }
}
