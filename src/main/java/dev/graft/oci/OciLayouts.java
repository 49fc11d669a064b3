package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Shared rules of the OCI image layout: file names, the ref-name annotation, atomic writes. */
public final class OciLayouts {
  private OciLayouts() {}

  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  public static final String OCI_LAYOUT_FILE = "oci-layout";
  public static final String INDEX_FILE = "index.json";
  public static final byte[] OCI_LAYOUT_CONTENT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  /**
   * Where a blob lives in a layout. The digest record only admits [a-f0-9] hex and two known
   * algorithms, so the name cannot climb out of {@code blobs/}.
   */
  public static Path blobPath(Path layout, Digest digest) {
    return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /** The tags (ref-name annotations) of an index.json's entries, sorted, for error messages. */
  public static List<String> tags(Index index) {
    TreeSet<String> tags = new TreeSet<>();
    for (Descriptor d : index.manifests()) {
      String t = d.annotations().get(REF_NAME);
      if (t != null) {
        tags.add(t);
      }
    }
    return List.copyOf(tags);
  }

  static String describeTags(Index index) {
    List<String> tags = tags(index);
    if (!tags.isEmpty()) {
      return "available tags: " + String.join(", ", tags);
    }
    return index.manifests().size() == 1
        ? "it has one untagged image: leave out the :TAG to read it"
        : "it has no tagged images";
  }

  /**
   * Writes {@code bytes} to a temp file in {@code staging} (on the target's file system), forces it
   * to disk and moves it into place atomically; only to a new path or over a regular file, never
   * over a device, FIFO, socket, symlink or directory ({@link TargetPath#requireFileOrNew(Path)}).
   */
  public static void writeAtomically(Path target, byte[] bytes, StagingDir staging) throws IOException {
    TargetPath.requireFileOrNew(target);
    Path tmp = staging.newFile(target.getFileName().toString());
    try {
      Files.write(tmp, bytes);
      TargetPath.sync(tmp);
      Files.createDirectories(target.toAbsolutePath().getParent());
      TargetPath.requireFileOrNew(target);
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Copies a stream to {@code target} through a temp file in {@code staging}; the target appears
   * only when the stream has been read to its end without error (a verifying stream throws at the end).
   */
  public static long copyAtomically(InputStream in, Path target, StagingDir staging) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp = staging.newFile("blob");
    try {
      long n;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        n = in.transferTo(out);
      }
      TargetPath.sync(tmp);
      moveAtomically(tmp, target);
      return n;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Sets POSIX permissions where the file system has them (a no-op elsewhere). */
  static void setMode(Path p, String mode) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    }
  }

  public static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a directory tree without following symlinks; quiet when it is already gone. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Every regular file under {@code dir}, as sorted relative '/'-separated names. */
  static List<String> sortedFiles(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
    }
    out.sort(null);
    return out;
  }
}
