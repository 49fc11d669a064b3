package dev.graft.layer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * One small binary file of a rebuild cache (selections, verification traces, file listings, host
 * file hashes): a format tag, then what its owner writes, with bounded length-prefixed strings.
 * Written under a temp name in the same directory and renamed into place, so concurrent builds
 * see the old file or the new one, never a part; read back only when whole and of this format.
 */
public final class CacheFile {
  private static final int MAX_BYTES = 16 << 20;

  private CacheFile() {}

  @FunctionalInterface
  public interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  /** Writes {@code dir/name} atomically: the format tag, then {@code body}. */
  public static void write(Path dir, String name, String format, Writer body) throws IOException {
    writeRaw(dir, name, out -> {
      out.writeUTF(format);
      body.write(out);
    });
  }

  /**
   * Puts bytes made elsewhere (a {@link SharedCache}'s copy of {@code dir/name}) in place
   * atomically; they are read back through {@link #read}, so a damaged copy is simply a miss.
   */
  public static void publish(Path dir, String name, byte[] bytes) throws IOException {
    writeRaw(dir, name, out -> out.write(bytes));
  }

  private static void writeRaw(Path dir, String name, Writer body) throws IOException {
    Files.createDirectories(dir);
    dev.graft.oci.StagingDir.sweepOnce(dir, ".cache"); // what killed runs of older versions left
    dev.graft.oci.StagingDir.sweepOnce(dir, ".write-");
    try (dev.graft.oci.StagingDir staging = dev.graft.oci.StagingDir.create(dir, ".write-")) {
      Path tmp = staging.newFile("entry");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        body.write(out);
      }
      try {
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cache directory " + dir + " does not support atomic renames", e);
      }
    }
  }

  /**
   * What {@code body} reads from the file; empty when the file is absent, of another format,
   * damaged (the reader throws) or longer than what was read. A damaged entry is simply rebuilt.
   */
  public static <T> Optional<T> read(Path file, String format, Reader<T> body) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (!in.readUTF().equals(format)) {
        return Optional.empty();
      }
      T value = body.read(in);
      return in.read() == -1 ? Optional.ofNullable(value) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  public static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  public static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  public static byte[] readBytes(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > MAX_BYTES) {
      throw new IOException("bad length " + len);
    }
    byte[] b = in.readNBytes(len);
    if (b.length != len) {
      throw new IOException("truncated");
    }
    return b;
  }

  /** Writes an entry's metadata (after its path, which its owner writes); the layout predates the record. */
  public static void writeMetadata(DataOutputStream out, EntryMetadata m) throws IOException {
    writeString(out, m.type().name());
    out.writeInt(m.mode());
    out.writeLong(m.uid());
    out.writeLong(m.gid());
    out.writeLong(m.size());
    writeString(out, m.linkTarget());
    out.writeInt(m.devMajor());
    out.writeInt(m.devMinor());
    out.writeInt(m.xattrs().size());
    for (var x : m.xattrs().entrySet()) {
      writeString(out, x.getKey());
      writeBytes(out, x.getValue().value());
    }
  }

  /**
   * Reads what {@link #writeMetadata} wrote. Values the record refuses throw (an
   * IllegalArgumentException), which {@link #read} takes as a damaged entry: a miss.
   */
  public static EntryMetadata readMetadata(DataInputStream in) throws IOException {
    EntryType type = EntryType.valueOf(readString(in));
    int mode = in.readInt();
    long uid = in.readLong();
    long gid = in.readLong();
    long size = in.readLong();
    String link = readString(in);
    int major = in.readInt();
    int minor = in.readInt();
    int nx = readCount(in, 10_000);
    java.util.TreeMap<String, Bytes> xattrs = new java.util.TreeMap<>();
    for (int x = 0; x < nx; x++) {
      xattrs.put(readString(in), new Bytes(readBytes(in)));
    }
    return new EntryMetadata(type, mode, uid, gid, size, link, major, minor, xattrs);
  }

  /** A count written by {@link DataOutputStream#writeInt}, refused beyond {@code max}. */
  public static int readCount(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new IOException("bad count " + n);
    }
    return n;
  }
}
