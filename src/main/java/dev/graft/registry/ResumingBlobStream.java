package dev.graft.registry;

import dev.graft.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A blob download that survives the connection breaking off: it asks again for the rest with a
 * Range request (or, when the registry ignores Range, downloads again and skips what it has),
 * within the retry policy. A download that makes no progress for the request timeout is broken
 * off and resumed the same way. The caller verifies digest and size of everything read, so a
 * registry serving other bytes on the second try is still caught.
 */
final class ResumingBlobStream extends InputStream {
  /** Wakes stalled downloads; one daemon thread for all, since stalls are rare and checks cheap. */
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "graft-download-watchdog");
    t.setDaemon(true);
    return t;
  });

  /** Opens the blob from {@code offset} (0 = the whole blob). */
  @FunctionalInterface
  interface Opener {
    HttpResponse<InputStream> open(long offset) throws IOException;
  }

  private final Opener opener;
  private final java.util.function.Function<IOException, IOException> giveUp;
  private final Descriptor descriptor;
  private final RetryPolicy.Attempts attempts;
  private final long stallNanos;
  private final ScheduledFuture<?> watch;
  private volatile InputStream in;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean stalled;
  /** True while a read waits on the network: a slow consumer is not a stalled download. */
  private volatile boolean reading;
  private long position;
  private boolean closed;

  /** {@code giveUp} turns the last failure into the error reported once the tries are used up. */
  ResumingBlobStream(HttpResponse<InputStream> first, Opener opener, Descriptor descriptor, RetryPolicy policy,
      java.util.function.Function<IOException, IOException> giveUp) {
    this.opener = opener;
    this.giveUp = giveUp;
    this.descriptor = descriptor;
    this.attempts = policy.start();
    this.in = first.body();
    this.stallNanos = policy.requestTimeout().toNanos();
    long period = Math.max(10, policy.requestTimeout().toMillis() / 4);
    this.watch = WATCHDOG.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.MILLISECONDS);
  }

  private void checkStall() {
    if (reading && System.nanoTime() - lastProgress > stallNanos) {
      stalled = true;
      lastProgress = System.nanoTime();
      try {
        in.close(); // unblocks the reader, which then resumes
      } catch (IOException e) {
        // the reader sees the stream end either way
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      IOException failure;
      try {
        lastProgress = System.nanoTime();
        reading = true;
        int n;
        try {
          n = in.read(b, off, len);
        } finally {
          reading = false;
        }
        if (n > 0) {
          position += n;
          lastProgress = System.nanoTime();
          return n;
        }
        if (n < 0 && (position >= descriptor.size())) {
          return -1; // complete, or too long: the caller's verification says which
        }
        failure = new java.io.EOFException("download broke off after " + position + " of " + descriptor.size()
            + " bytes" + (stalled ? ", no data for " + stallNanos / 1_000_000 + " ms" : ""));
      } catch (IOException e) {
        if (!RegistryHttp.isTransient(e) && !stalled) {
          throw e;
        }
        Throwable root = e;
        while (root.getCause() != null) {
          root = root.getCause(); // the JDK reports "closed" with the real reason as its cause
        }
        failure = new IOException("download broke off after " + position + " of " + descriptor.size() + " bytes ("
            + (stalled ? "no data for " + stallNanos / 1_000_000 + " ms" : root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : ": " + root.getMessage())) + ")", e);
      }
      resume(failure);
    }
  }

  private void resume(IOException failure) throws IOException {
    closeQuietly(in);
    stalled = false;
    if (!attempts.retry(Optional.empty())) {
      throw giveUp.apply(new IOException(failure.getMessage() + " after " + attempts.made() + " tries",
          failure.getCause() == null ? failure : failure.getCause()));
    }
    HttpResponse<InputStream> r = opener.open(position);
    InputStream body = r.body();
    if (r.statusCode() == 200 && position > 0) {
      // The registry (or the storage it redirected to) ignored Range: skip what was read already.
      body.skipNBytes(position);
    } else if (r.statusCode() == 206) {
      String range = r.headers().firstValue("Content-Range").orElse("");
      if (!range.startsWith("bytes " + position + "-")) {
        closeQuietly(body);
        throw new IOException("registry answered a request for blob " + descriptor.digest() + " from byte "
            + position + " with the range '" + range + "'");
      }
    }
    lastProgress = System.nanoTime();
    in = body;
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException e) {
      // already broken
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      watch.cancel(false);
      in.close();
    }
  }
}
