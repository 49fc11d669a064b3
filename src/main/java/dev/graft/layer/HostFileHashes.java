package dev.graft.layer;

import dev.graft.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Content hashes of a host directory's files from an earlier build, trusted while a file's size,
 * inode, modification and change times are what they were (as git's index does), so a rebuild
 * hashes only the files that changed. Racy writes are handled the way git handles them: a hash is
 * kept only for a file whose times were at least {@link #SETTLED} older than the moment its
 * reading began, so a write landing in the same clock tick as the hashing can never be mistaken
 * for the hashed content. The cache is an optimisation only: unreadable means empty.
 */
public final class HostFileHashes {
  static final long SETTLED = TimeUnit.SECONDS.toNanos(2);
  private static final String FORMAT = "graft-hashes-v1";
  private static final int MAX_ENTRIES = 10_000_000;

  /** What identifies one version of a file, as far as the file system tells. */
  record Stamp(long size, long mtimeNanos, long ctimeNanos, long inode) {
    // written out: the generated equals is bootstrapped through invokedynamic on first use in every run
    @Override
    public boolean equals(Object o) {
      return o instanceof Stamp s && s.size == size && s.mtimeNanos == mtimeNanos && s.ctimeNanos == ctimeNanos
          && s.inode == inode;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(size) * 31 + Long.hashCode(mtimeNanos) * 17 + Long.hashCode(inode);
    }
  }

  private record Known(Stamp stamp, String hash) {}

  private final Path store; // null: nothing is remembered (no cache)
  private final Map<String, Known> known = new HashMap<>();
  private final Map<String, Known> seen = new HashMap<>();
  private boolean changed;

  private HostFileHashes(Path store) {
    this.store = store;
  }

  /** Nothing remembered, nothing stored: every file is hashed. */
  public static HostFileHashes none() {
    return new HostFileHashes(null);
  }

  /** The hashes remembered for {@code dir} in {@code cacheDir} (empty when none or unreadable). */
  public static HostFileHashes open(Path cacheDir, Path dir) {
    MessageDigest md = Digest.newSha256();
    md.update(dir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
    HostFileHashes h = new HostFileHashes(cacheDir.resolve("hashes").resolve(HexFormat.of().formatHex(md.digest())));
    h.load();
    return h;
  }

  private void load() {
    CacheFile.read(store, FORMAT, in -> {
      int n = CacheFile.readCount(in, MAX_ENTRIES);
      Map<String, Known> read = new HashMap<>();
      for (int i = 0; i < n; i++) {
        String path = CacheFile.readString(in);
        Stamp s = new Stamp(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        read.put(path, new Known(s, CacheFile.readString(in)));
      }
      return read;
    }).ifPresent(known::putAll); // damaged or absent: everything is hashed again
  }

  /** {@code sha256:…} of the file's bytes, from memory when its stamp is unchanged. */
  synchronized String hash(Path file) throws IOException {
    return hash(file, stamp(file));
  }

  /** As {@link #hash(Path)}, with the file's stamp as just read by the caller (saves a stat). */
  synchronized String hash(Path file, Stamp before) throws IOException {
    String key = file.toString();
    Known k = known.get(key);
    if (k != null && k.stamp().equals(before)) {
      seen.put(key, k);
      return k.hash();
    }
    long start = now();
    MessageDigest md = Digest.newSha256();
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    String hash = "sha256:" + HexFormat.of().formatHex(md.digest());
    // Remember it only if the file did not change while read and had settled before reading began.
    if (store != null && before.equals(stamp(file)) && before.mtimeNanos() < start - SETTLED
        && before.ctimeNanos() < start - SETTLED) {
      seen.put(key, new Known(before, hash));
      changed = true;
    }
    return hash;
  }

  /** Whether {@link #hash} would answer from memory, without reading the file (for tests). */
  synchronized boolean remembered(Path file) throws IOException {
    Known k = known.get(file.toString());
    return k != null && k.stamp().equals(stamp(file));
  }

  /**
   * Writes what this build hashed or confirmed (files it did not see are forgotten), atomically;
   * a failure to write is ignored: the next build hashes again.
   */
  public synchronized void save() {
    if (store == null || (!changed && seen.size() == known.size())) {
      return;
    }
    try {
      CacheFile.write(store.getParent(), store.getFileName().toString(), FORMAT, out -> {
        out.writeInt(seen.size());
        for (Map.Entry<String, Known> e : seen.entrySet()) {
          CacheFile.writeString(out, e.getKey());
          Stamp s = e.getValue().stamp();
          out.writeLong(s.size());
          out.writeLong(s.mtimeNanos());
          out.writeLong(s.ctimeNanos());
          out.writeLong(s.inode());
          CacheFile.writeString(out, e.getValue().hash());
        }
      });
    } catch (IOException | RuntimeException e) {
      // an optimisation only: the next build hashes again
    }
  }

  static Stamp stamp(Path file) throws IOException {
    return stamp(Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS));
  }

  /** The stamp in attributes read as {@code unix:size,lastModifiedTime,ctime,ino} (or more). */
  static Stamp stamp(Map<String, Object> a) {
    return new Stamp((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
        (Long) Objects.requireNonNull(a.get("ino")));
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /** Wall-clock time, in the file system's terms; used only to judge whether a file had settled. */
  private static long now() {
    java.time.Instant i = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
  }
}
