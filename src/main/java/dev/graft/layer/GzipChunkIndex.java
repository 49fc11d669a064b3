package dev.graft.layer;

import dev.graft.oci.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where the compressed blocks of recently written gzip layers lie in their cached blobs, by the
 * key of what each block compresses, so that rewriting a layer after a small change deflates only
 * the blocks that changed (see {@link ParallelGzipOutputStream}). Nothing is stored twice: a block
 * is read back from the blob it was written into and used only if its bytes still have the hash
 * recorded when it was written; anything missing, moved or damaged is simply deflated again. The
 * index is one {@link CacheFile} holding the last {@link #MAX_LAYERS} layers written. Thread-safe.
 */
final class GzipChunkIndex implements ParallelGzipOutputStream.Chunks {
  private static final String FORMAT = "graft-gzip-chunks-v1";
  static final int MAX_LAYERS = 8;
  private static final int MAX_CHUNKS = 4_000_000;
  private static final int HASH = 32;

  private record Location(Digest blob, long offset, int length, byte[] sha256) {}

  private final Path dir;
  private final String name;
  private final Function<Digest, Path> blobPath;
  /** Most recently written first: blob digest → its blocks. */
  private final LinkedHashMap<Digest, List<ParallelGzipOutputStream.Chunk>> layers = new LinkedHashMap<>();
  private final Map<ByteBuffer, Location> byKey = new ConcurrentHashMap<>();

  private GzipChunkIndex(Path file, Function<Digest, Path> blobPath) {
    this.dir = file.getParent();
    this.name = file.getFileName().toString();
    this.blobPath = blobPath;
  }

  /** The index stored in {@code file} (empty when absent, of another format or damaged). */
  static GzipChunkIndex open(Path file, Function<Digest, Path> blobPath) {
    GzipChunkIndex index = new GzipChunkIndex(file, blobPath);
    CacheFile.read(file, FORMAT, in -> {
      int n = CacheFile.readCount(in, MAX_LAYERS);
      LinkedHashMap<Digest, List<ParallelGzipOutputStream.Chunk>> read = new LinkedHashMap<>();
      int total = 0;
      for (int i = 0; i < n; i++) {
        Digest blob = Digest.parse(CacheFile.readString(in));
        int count = CacheFile.readCount(in, MAX_CHUNKS - total);
        total += count;
        List<ParallelGzipOutputStream.Chunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
          byte[] key = hash(CacheFile.readBytes(in));
          long offset = in.readLong();
          int length = in.readInt();
          if (offset < 0 || length < 0) {
            throw new IOException("bad chunk " + offset + "+" + length);
          }
          chunks.add(new ParallelGzipOutputStream.Chunk(key, offset, length, hash(CacheFile.readBytes(in))));
        }
        read.put(blob, chunks);
      }
      return read;
    }).ifPresent(read -> read.forEach(index::put));
    return index;
  }

  private static byte[] hash(byte[] b) throws IOException {
    if (b.length != HASH) {
      throw new IOException("bad hash length " + b.length);
    }
    return b;
  }

  private void put(Digest blob, List<ParallelGzipOutputStream.Chunk> chunks) {
    layers.put(blob, chunks);
    for (ParallelGzipOutputStream.Chunk c : chunks) {
      byKey.putIfAbsent(ByteBuffer.wrap(c.key()), new Location(blob, c.offset(), c.length(), c.sha256()));
    }
  }

  /** The compressed bytes of the block with this key, read from its blob and verified; else null. */
  @Override
  public byte[] find(byte[] key) {
    Location at = byKey.get(ByteBuffer.wrap(key));
    if (at == null) {
      return null;
    }
    byte[] bytes = new byte[at.length()];
    try (FileChannel ch = FileChannel.open(blobPath.apply(at.blob()), StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        if (ch.read(buf, at.offset() + buf.position()) < 0) {
          return null; // the blob is shorter than recorded
        }
      }
    } catch (IOException | RuntimeException e) {
      return null; // gone or unreadable: deflate again
    }
    MessageDigest md = Digest.newSha256();
    return Arrays.equals(md.digest(bytes), at.sha256()) ? bytes : null;
  }

  /**
   * Records the blocks of a blob just written into the cache and stores the index (keeping the
   * last {@link #MAX_LAYERS} layers); a failure to store is ignored, as the index only saves work.
   */
  synchronized void add(Digest blob, List<ParallelGzipOutputStream.Chunk> chunks) {
    if (chunks.isEmpty() || chunks.size() > MAX_CHUNKS) {
      return;
    }
    LinkedHashMap<Digest, List<ParallelGzipOutputStream.Chunk>> next = new LinkedHashMap<>();
    next.put(blob, List.copyOf(chunks));
    int total = chunks.size();
    for (Map.Entry<Digest, List<ParallelGzipOutputStream.Chunk>> e : layers.entrySet()) {
      if (next.size() == MAX_LAYERS || total + e.getValue().size() > MAX_CHUNKS) {
        break;
      }
      if (!e.getKey().equals(blob)) {
        next.put(e.getKey(), e.getValue());
        total += e.getValue().size();
      }
    }
    layers.clear();
    byKey.clear();
    next.forEach(this::put);
    try {
      CacheFile.write(dir, name, FORMAT, out -> {
        out.writeInt(layers.size());
        for (Map.Entry<Digest, List<ParallelGzipOutputStream.Chunk>> e : layers.entrySet()) {
          CacheFile.writeString(out, e.getKey().toString());
          out.writeInt(e.getValue().size());
          for (ParallelGzipOutputStream.Chunk c : e.getValue()) {
            CacheFile.writeBytes(out, c.key());
            out.writeLong(c.offset());
            out.writeInt(c.length());
            CacheFile.writeBytes(out, c.sha256());
          }
        }
      });
    } catch (IOException | RuntimeException e) {
      // an optimisation only: the next rewrite deflates every block
    }
  }
}
