package dev.graft.oci;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A directory this process stages files in before renaming them into place: beside a target (so
 * the rename stays on one file system), never inside a layout's {@code blobs/}. It is removed when
 * closed, and when the JVM stops on SIGINT or SIGTERM (a shutdown hook). A process killed outright
 * (SIGKILL, power loss) leaves it behind; {@link #sweep} removes such leftovers later, safely: each
 * staging directory {@code D} has a lock file {@code D.lock} that its process holds locked while it
 * lives, so a leftover is one whose lock anyone can take (the OS releases a dead process's locks).
 */
public final class StagingDir implements Closeable {
  /** Staging made by graft versions without lock files is taken as stale only after this long. */
  static final Duration UNLOCKED_STALE_AFTER = Duration.ofHours(1);

  private static final Set<StagingDir> OPEN = ConcurrentHashMap.newKeySet();
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet(); // lock files this JVM holds
  private static final Set<String> SWEPT = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(StagingDir::removeAllOpen, "graft-staging-cleanup"));
  }

  private final Path dir;
  private final Path lockFile;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private StagingDir(Path dir, Path lockFile, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** A new staging directory {@code parent/<prefix><random>} (0755), its lock held until {@link #close}. */
  public static StagingDir create(Path parent, String prefix) throws IOException {
    Files.createDirectories(parent);
    // The lock file first, so a sweeper never sees the directory without its lock.
    Path lockFile = Files.createTempFile(parent, prefix, ".lock");
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.lock();
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(lockFile);
      throw e;
    }
    String name = lockFile.getFileName().toString();
    Path dir = parent.resolve(name.substring(0, name.length() - ".lock".length()));
    try {
      Files.createDirectory(dir);
      OciLayouts.setMode(dir, "rwxr-xr-x");
    } catch (IOException | RuntimeException e) {
      lock.release();
      ch.close();
      Files.deleteIfExists(lockFile);
      throw e;
    }
    StagingDir s = new StagingDir(dir, lockFile, ch, lock);
    HELD.add(lockFile);
    OPEN.add(s);
    return s;
  }

  public Path path() {
    return dir;
  }

  /** A fresh temp file inside, for content to be renamed into place (0644 once published). */
  public Path newFile(String hint) throws IOException {
    Path tmp = Files.createTempFile(dir, hint.isEmpty() ? "tmp" : hint, ".part");
    OciLayouts.setMode(tmp, "rw-r--r--");
    return tmp;
  }

  /** Removes the directory and what is left in it, then its lock file. */
  @Override
  public void close() throws IOException {
    if (!OPEN.remove(this)) {
      return;
    }
    try {
      OciLayouts.deleteTree(dir);
    } finally {
      HELD.remove(lockFile);
      try {
        lock.release();
        lockChannel.close();
      } finally {
        Files.deleteIfExists(lockFile);
      }
    }
  }

  private static void removeAllOpen() {
    for (StagingDir s : OPEN) {
      for (int attempt = 0; attempt < 3; attempt++) { // a writer thread may still add a file meanwhile
        try {
          s.close();
          break;
        } catch (IOException | RuntimeException e) {
          OPEN.add(s);
        }
      }
    }
  }

  /**
   * Removes leftovers of killed runs among {@code parent}'s entries named {@code <prefix>*}: a
   * staging directory (or file) whose lock file no live process holds, and one without a lock file
   * (graft before lock files) untouched for {@link #UNLOCKED_STALE_AFTER}. What a live process
   * stages is never touched. Returns how many were removed; failures to remove are left for later.
   */
  public static int sweep(Path parent, String prefix) {
    if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, e -> e.getFileName().toString()
        .startsWith(prefix) && !e.getFileName().toString().endsWith("lock"))) { // .lock files, layout commit locks
      for (Path p : entries) {
        Path lockFile = p.resolveSibling(p.getFileName() + ".lock");
        if (HELD.contains(lockFile)) {
          continue;
        }
        try {
          if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) ? removeIfUnlocked(p, lockFile) : removeIfOld(p)) {
            removed++;
          }
        } catch (IOException | RuntimeException e) {
          // another sweeper got there first, or it is not ours to remove: leave it
        }
      }
    } catch (IOException e) {
      return removed;
    }
    return removed;
  }

  /** {@link #sweep}, at most once per directory and prefix in this process (for places written often). */
  public static void sweepOnce(Path parent, String prefix) {
    if (SWEPT.add(parent.toAbsolutePath().normalize() + "\0" + prefix)) {
      sweep(parent, prefix);
    }
  }

  private static boolean removeIfUnlocked(Path p, Path lockFile) throws IOException {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        return false; // held in this JVM
      }
      if (l == null) {
        return false; // its process is alive
      }
      try {
        OciLayouts.deleteTree(p);
      } finally {
        l.release();
      }
    }
    Files.deleteIfExists(lockFile);
    return true;
  }

  private static boolean removeIfOld(Path p) throws IOException {
    FileTime modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    if (modified.toInstant().isAfter(Instant.now().minus(UNLOCKED_STALE_AFTER))) {
      return false;
    }
    OciLayouts.deleteTree(p);
    return true;
  }
}
