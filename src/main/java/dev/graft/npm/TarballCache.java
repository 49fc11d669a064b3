package dev.graft.npm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * npm tarballs on disk, named by their integrity ({@code npm/tarballs/sha512-<hex>.tgz} under the
 * graft cache): a lockfile that names the same integrity never downloads again. A file is put in
 * place only after its bytes matched the integrity, by rename from a temp name in the same
 * directory, so a crash or a parallel build never leaves a wrong or half-written tarball under
 * its final name; a cached file is read again in full and checked whenever it is unpacked.
 */
public final class TarballCache {
  private final Path dir;

  public TarballCache(Path graftCacheDir) {
    this.dir = graftCacheDir.resolve("npm").resolve("tarballs");
  }

  public Path path(Integrity integrity) {
    return dir.resolve(integrity.key() + ".tgz");
  }

  public boolean has(Integrity integrity) {
    return Files.isRegularFile(path(integrity));
  }

  /**
   * Stores a stream as the tarball of {@code integrity} when its bytes match, else throws (the
   * message names {@code what}) and stores nothing. Returns the byte count.
   */
  public long store(Integrity integrity, InputStream in, String what) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".download", ".part");
    try {
      MessageDigest md = integrity.newDigest();
      long n = 0;
      try (var out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
          md.update(buf, 0, r);
          out.write(buf, 0, r);
          n += r;
        }
      }
      byte[] got = md.digest();
      if (!integrity.matches(got)) {
        throw new IntegrityMismatchException(what + ": the downloaded tarball (" + n + " bytes) has " + integrity.algorithm()
            + "-" + java.util.Base64.getEncoder().encodeToString(got) + ", but the lockfile says " + integrity
            + " (the registry served other bytes, or the lockfile was edited; nothing was used)");
      }
      try {
        Files.move(tmp, path(integrity), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path(integrity), StandardCopyOption.REPLACE_EXISTING);
      }
      return n;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Bytes that do not match the lockfile's integrity. */
  public static final class IntegrityMismatchException extends NpmException {
    public IntegrityMismatchException(String message) {
      super(message);
    }
  }
}
