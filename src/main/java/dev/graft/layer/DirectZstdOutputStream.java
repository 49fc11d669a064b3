package dev.graft.layer;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A zstd stream that hands bytes to libzstd through direct buffers, never through a Java array.
 *
 * <p>Why not zstd-jni's {@code ZstdOutputStream}: it passes the caller's array to libzstd inside a
 * JNI critical section ({@code GetPrimitiveArrayCritical}), and with workers libzstd blocks inside
 * that call whenever its ring buffer is full, waiting for a worker: for most of a high-level
 * compression. While a thread holds a critical section the JVM cannot collect, so every other
 * thread's allocation (verify, selection, upload) either stalls or makes the serial collector
 * grow the heap instead; a cold zstd-9 build of W1 grew its heap from 61 to 139 MB of mostly
 * garbage that way (GC log: "GCLocker Initiated GC"). Direct buffers need no critical section.
 *
 * <p>The bytes are zstd-jni's stream's, exactly: the same parameters (level, workers, checksum),
 * {@code continue} for writes, {@code flush} for {@link #flush}, {@code end} at {@link #close}, and,
 * as there, no frame at all when nothing was written. libzstd's output does not depend on how the
 * input is chunked into calls (CompressionTest's golden digests pin it).
 */
final class DirectZstdOutputStream extends BulkWriteOutputStream {
  /** libzstd's recommended streaming sizes (ZSTD_CStreamInSize/OutSize are about 128 KiB). */
  private static final int IN_SIZE = 128 * 1024;
  private static final int OUT_SIZE = 128 * 1024 + 512;

  private final OutputStream out;
  private final ZstdWorkers budget;
  private final int workers;
  private final ZstdCompressCtx ctx;
  private final ByteBuffer in = ByteBuffer.allocateDirect(IN_SIZE);
  private final ByteBuffer compressed = ByteBuffer.allocateDirect(OUT_SIZE);
  private final byte[] chunk = new byte[OUT_SIZE];
  private boolean started;
  private boolean closed;

  /** Up to {@code workers} workers, as many as the process's budget has free ({@link ZstdWorkers}). */
  DirectZstdOutputStream(OutputStream out, int level, int workers) throws IOException {
    this(out, level, workers, ZstdWorkers.PROCESS);
  }

  DirectZstdOutputStream(OutputStream out, int level, int workers, ZstdWorkers budget) throws IOException {
    this.out = out;
    this.budget = budget;
    this.workers = budget.take(workers);
    ZstdCompressCtx c = null;
    try {
      c = new ZstdCompressCtx();
      c.setLevel(level);
      c.setWorkers(this.workers);
      c.setChecksum(true);
    } catch (RuntimeException | Error e) {
      if (c != null) {
        c.close();
      }
      budget.release(this.workers);
      throw e;
    }
    this.ctx = c;
  }

  /** How many workers this stream compresses with. */
  int workers() {
    return workers;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    started |= len > 0;
    while (len > 0) {
      int n = Math.min(len, IN_SIZE);
      in.clear();
      in.put(b, off, n).flip();
      while (in.hasRemaining()) {
        run(EndDirective.CONTINUE);
      }
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (started) {
      finish(EndDirective.FLUSH);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (started) {
        finish(EndDirective.END);
      }
      out.close();
    } finally {
      closed = true;
      ctx.close(); // frees libzstd's buffers and joins its workers: only then are they free for others
      budget.release(workers);
    }
  }

  /** Calls libzstd with {@code directive} and no new input until it has nothing left to write. */
  private void finish(EndDirective directive) throws IOException {
    in.clear().flip();
    while (!run(directive)) {
      // more output is pending
    }
  }

  /** One call into libzstd; writes what it produced; true when it has nothing more to flush. */
  private boolean run(EndDirective directive) throws IOException {
    boolean done;
    try {
      done = ctx.compressDirectByteBufferStream(compressed, in, directive);
    } catch (RuntimeException e) { // zstd-jni reports libzstd's errors unchecked
      throw new IOException("zstd compression failed: " + e.getMessage(), e);
    }
    compressed.flip();
    int n = compressed.remaining();
    if (n > 0) {
      compressed.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
    compressed.clear();
    return done;
  }
}
