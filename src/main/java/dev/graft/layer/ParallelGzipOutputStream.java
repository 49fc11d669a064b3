package dev.graft.layer;

import dev.graft.layer.deflate.DeflateEncoder;
import dev.graft.oci.Futures;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32;

/**
 * A gzip stream whose bytes depend only on the input, the level and the block size: never on the
 * JDK, the OS's zlib or the number of threads. pigz's scheme: the input is cut into fixed-size
 * blocks, each deflated on its own (graft's pure-Java {@link DeflateEncoder}) with the previous
 * block's last 32 KiB as preset dictionary and ended byte-aligned by an empty stored block (the
 * last by the final block); the raw deflate pieces are concatenated into one gzip member. Blocks
 * are compressed concurrently and written in order.
 *
 * <p>A writer that knows where records start (a tar's entries) reports those places through
 * {@link #cutCandidate}: a block then ends at the first selected start once it holds 3/4 of
 * the block size, the selection being a function of the record alone (its name), not of
 * its position. So a change to one file of a directory layer changes the blocks around it only;
 * the blocks after it start at the same entries as before and compress to the same bytes, which
 * {@link Chunks} lets a rebuild take from the previous blob instead of deflating them again.
 */
public final class ParallelGzipOutputStream extends BulkWriteOutputStream {
  public static final int DEFAULT_BLOCK_SIZE = 128 * 1024;
  /** One record start in this many is selected (a few per block of small files). */
  private static final int SELECT_ONE_IN = 8;
  private static final int WINDOW = 32 * 1024;
  private static final byte[] CHUNK_KEY_TAG = "graft-gzip-chunk-v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /**
   * Compressed blocks known from earlier output, by the key of what they compress. A block's
   * deflate output is a pure function of its key's inputs, so a block found here is exactly
   * what deflating would give; {@code find} must verify what it returns (null when unsure).
   */
  public interface Chunks {
    byte[] find(byte[] key);
  }

  /**
   * One block of the output: the sha256 {@code key} of its inputs (level, last, dictionary, data),
   * where its compressed bytes lie in the gzip stream, and their sha256.
   */
  public record Chunk(byte[] key, long offset, int length, byte[] sha256) {}

  /** Fixed header: no name, mtime 0, OS 255 "unknown", so nothing about the host leaks in. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private static final byte[] NO_DICTIONARY = new byte[0];

  private final OutputStream out;
  private final int blockSize;
  private final int threads;
  private final ExecutorService pool;
  /**
   * One encoder per compressing thread (its tables are large; it keeps no state between blocks):
   * the pool's threads each get their own; without a pool the caller's thread uses {@code single}.
   */
  private final ThreadLocal<DeflateEncoder> encoders;
  private final DeflateEncoder single;
  private final int level;
  private final Chunks known; // null: every block is deflated
  private final java.util.List<Chunk> chunks = new java.util.ArrayList<>();
  private long written;
  private final Deque<CompletableFuture<Block>> pending = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block;
  private int filled;
  private byte[] previous;
  private long total;
  private boolean closed;

  public ParallelGzipOutputStream(OutputStream out, int level, int threads) {
    this(out, level, threads, DEFAULT_BLOCK_SIZE);
  }

  public ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockSize) {
    this(out, level, threads, blockSize, null);
  }

  /** {@code known}: blocks from earlier output to reuse instead of deflating (or null). */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockSize, Chunks known) {
    if (level < 1 || level > 9 || threads < 1 || blockSize < WINDOW) {
      throw new IllegalArgumentException("bad gzip settings: level " + level + ", threads " + threads
          + ", block " + blockSize);
    }
    this.out = out;
    this.level = level;
    this.known = known;
    this.threads = threads;
    this.blockSize = blockSize;
    this.block = new byte[blockSize];
    this.encoders = ThreadLocal.withInitial(() -> new DeflateEncoder(level));
    this.single = threads == 1 ? new DeflateEncoder(level) : null;
    this.pool = threads == 1 ? null : Futures.daemonPool("graft-gzip", threads);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (total == 0 && len > 0 && pending.isEmpty() && filled == 0) {
      writeHeader();
    }
    crc.update(b, off, len);
    total += len;
    while (len > 0) {
      int n = Math.min(len, blockSize - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == blockSize) {
        submit(false);
      }
    }
  }

  /**
   * A record (a tar entry named {@code name}) starts at the current position: the block is cut
   * here if it is at least 3/4 full and the name is selected. Callers must have
   * flushed everything before the record into this stream.
   */
  public void cutCandidate(String name) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (filled >= blockSize / 4 * 3 && selected(name)) {
      submit(false);
    }
  }

  /** Whether a record start is a cut point: about one in {@link #SELECT_ONE_IN}, by name only. */
  static boolean selected(String name) {
    int h = name.hashCode() * 0x9E3779B9; // String.hashCode is specified, so this is stable everywhere
    return (h >>> 29) % SELECT_ONE_IN == 0;
  }

  /** The blocks written, in order (complete once the stream is closed). */
  public java.util.List<Chunk> chunks() {
    return java.util.List.copyOf(chunks);
  }

  private void writeHeader() throws IOException {
    out.write(HEADER);
    written += HEADER.length;
  }

  /** One block's compressed bytes, with its key and their hash. */
  private record Block(byte[] key, byte[] compressed, byte[] sha256) {}

  /** Deflates one block, or takes its bytes from {@link #known} when they are there. */
  private Block compress(DeflateEncoder encoder, byte[] dict, byte[] data, boolean last) {
    java.security.MessageDigest md = dev.graft.oci.Digest.newSha256();
    md.update(CHUNK_KEY_TAG);
    md.update(new byte[] {(byte) level, (byte) (last ? 1 : 0)});
    md.update(java.nio.ByteBuffer.allocate(8).putInt(dict.length).putInt(data.length).array());
    md.update(dict);
    md.update(data);
    byte[] key = md.digest();
    byte[] compressed = known == null ? null : known.find(key);
    if (compressed == null) {
      compressed = encoder.deflate(dict, data, 0, data.length, last);
    }
    return new Block(key, compressed, dev.graft.oci.Digest.newSha256().digest(compressed));
  }

  private void submit(boolean last) throws IOException {
    byte[] data = filled == block.length ? block : Arrays.copyOf(block, filled);
    // The first block's dictionary is empty rather than null: the encoder then never meets null,
    // which C2 otherwise compiled as a trap and recompiled for the next layer's first block.
    byte[] dict = previous == null ? NO_DICTIONARY : Arrays.copyOfRange(previous, previous.length - WINDOW, previous.length);
    previous = data.length >= WINDOW ? data : null; // a short block is always the last one
    block = new byte[blockSize];
    filled = 0;
    if (pool == null) {
      emit(compress(single, dict, data, last));
      return;
    }
    pending.add(CompletableFuture.supplyAsync(() -> compress(encoders.get(), dict, data, last), pool));
    while (pending.size() > threads * 2) {
      writeHead();
    }
  }

  private void emit(Block b) throws IOException {
    out.write(b.compressed());
    chunks.add(new Chunk(b.key(), written, b.compressed().length, b.sha256()));
    written += b.compressed().length;
  }

  private void writeHead() throws IOException {
    emit(Futures.await(pending.removeFirst(), "gzip compression"));
  }

  /**
   * One block as raw deflate, ended by an empty stored block (or, for the last, by the final
   * block): a pure function of its arguments, which is what makes the output stable.
   */
  static byte[] deflate(byte[] data, byte[] dict, boolean last, int level) {
    return new DeflateEncoder(level).deflate(dict, data, 0, data.length, last);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (total == 0 && pending.isEmpty()) {
        writeHeader();
      }
      submit(true);
      while (!pending.isEmpty()) {
        writeHead();
      }
      long c = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (c >>> (8 * i));
        trailer[4 + i] = (byte) (total >>> (8 * i)); // ISIZE: length mod 2^32
      }
      out.write(trailer);
      out.close();
    } finally {
      closed = true;
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }
}
