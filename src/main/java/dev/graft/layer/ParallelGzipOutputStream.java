package dev.graft.layer;

import dev.graft.layer.deflate.DeflateEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * A gzip stream whose bytes depend only on the input, the level and the block size: never on the
 * JDK, the OS's zlib or the number of threads. pigz's scheme: the input is cut into fixed-size
 * blocks, each deflated on its own (graft's pure-Java {@link DeflateEncoder}) with the previous
 * block's last 32 KiB as preset dictionary and ended byte-aligned by an empty stored block (the
 * last by the final block); the raw deflate pieces are concatenated into one gzip member. Blocks
 * are compressed concurrently and written in order.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  public static final int DEFAULT_BLOCK_SIZE = 128 * 1024;
  private static final int WINDOW = 32 * 1024;
  /** Fixed header: no name, mtime 0, OS 255 "unknown", so nothing about the host leaks in. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

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
  private final Deque<CompletableFuture<byte[]>> pending = new ArrayDeque<>();
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
    if (level < 1 || level > 9 || threads < 1 || blockSize < WINDOW) {
      throw new IllegalArgumentException("bad gzip settings: level " + level + ", threads " + threads
          + ", block " + blockSize);
    }
    this.out = out;
    this.threads = threads;
    this.blockSize = blockSize;
    this.block = new byte[blockSize];
    this.encoders = ThreadLocal.withInitial(() -> new DeflateEncoder(level));
    this.single = threads == 1 ? new DeflateEncoder(level) : null;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "graft-gzip");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (total == 0 && len > 0 && pending.isEmpty() && filled == 0) {
      out.write(HEADER);
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

  private void submit(boolean last) throws IOException {
    byte[] data = filled == block.length ? block : Arrays.copyOf(block, filled);
    byte[] dict = previous == null ? null : Arrays.copyOfRange(previous, previous.length - WINDOW, previous.length);
    previous = data.length >= WINDOW ? data : null; // a short block is always the last one
    block = new byte[blockSize];
    filled = 0;
    if (pool == null) {
      out.write(single.deflate(dict, data, 0, data.length, last));
      return;
    }
    pending.add(CompletableFuture.supplyAsync(
        () -> encoders.get().deflate(dict, data, 0, data.length, last), pool));
    while (pending.size() > threads * 2) {
      writeHead();
    }
  }

  private void writeHead() throws IOException {
    try {
      out.write(pending.removeFirst().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing", e);
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
    }
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
        out.write(HEADER);
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
