package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Futures;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ReadThroughInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one path by which an image reaches a destination, for {@code graft copy} and {@code graft
 * build} alike, in the order that keeps a destination whole:
 * <ol>
 *   <li><b>blobs</b>: each distinct digest once, at most {@code concurrency} at a time; the sink
 *       checks presence itself and says what each put took ({@link BlobOutcome}), so nothing is
 *       asked twice;
 *   <li><b>manifests</b>, in the order given (children before the index that lists them);
 *   <li><b>attachments</b> ({@link Attachments}: signatures, SBOMs, provenance), by digest;
 *   <li><b>commit</b>: the reference moves to the root, then {@link #tag more tags} of it.
 * </ol>
 * Until the commit the destination's references are as they were. The first blob that fails
 * stops the rest (those not started never start, those moving stop at their next read) and is
 * the failure thrown, after every worker has ended: the caller closes the sink next, and a blob
 * still being written would race its clean-up.
 *
 * <p><b>Streaming blobs.</b> Content is {@linkplain BlobContent reopenable} and checked against
 * its descriptor by the sink while it streams. Every blob's descriptor is known before the write
 * starts today (a layer is complete in the layer cache first). A blob compressed while it is
 * uploaded would learn its digest only at its end; it fits this order because manifests are
 * written only after every blob is done: such a blob would hash while streaming, keep its bytes
 * (the cache file it writes at the same time) for the reopens a retry needs, and complete its
 * descriptor, and the manifests that list it, before step 2. The sinks would then need a put that
 * takes the digest at the end (a registry's upload is finished by a PUT naming the digest anyway;
 * a layout renames its temp file to the digest's name).
 */
public final class ImageWriter {
  private static final long PROGRESS_STEP = 1 << 20;

  private final int concurrency;
  private final WriteListener listener;

  public ImageWriter(int concurrency, WriteListener listener) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    this.concurrency = concurrency;
    this.listener = listener;
  }

  /** Writes {@code image} to {@code sink} and commits its root; returns how each blob got there. */
  public BlobTally write(ImageSink sink, ImageContents image, Attachments attachments) throws IOException {
    BlobTally tally = putBlobs(sink, distinct(image.blobs()));
    for (Blob m : image.manifests()) {
      sink.putManifest(m);
      listener.manifestWritten(m);
    }
    attachments.write(sink.ref(), image.root());
    sink.commit(image.root());
    return tally;
  }

  /**
   * Points one more reference at a root {@link #write} put into the same repository (a registry's
   * extra tag: one manifest PUT of the same bytes), and closes that sink.
   */
  public void tag(ImageSink more, Blob root) throws IOException {
    try (more) {
      more.commit(root);
    }
  }

  private static Collection<BlobToWrite> distinct(List<BlobToWrite> blobs) {
    Map<Digest, BlobToWrite> byDigest = new LinkedHashMap<>();
    for (BlobToWrite b : blobs) {
      byDigest.putIfAbsent(b.descriptor().digest(), b);
    }
    return byDigest.values();
  }

  private BlobTally putBlobs(ImageSink sink, Collection<BlobToWrite> blobs) throws IOException {
    if (blobs.isEmpty()) {
      return BlobTally.NONE;
    }
    Run run = new Run(sink);
    ExecutorService pool = Futures.daemonPool("graft-write", Math.min(concurrency, blobs.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (BlobToWrite b : blobs) {
        futures.add(pool.submit(() -> run.put(b)));
      }
      for (Future<?> f : futures) {
        Futures.await(f, "writing to " + sink.ref());
      }
    } finally {
      run.stopped.set(true);
      pool.shutdownNow();
      awaitEnd(pool);
    }
    run.rethrowFirstFailure();
    return run.tally.get();
  }

  /**
   * One write's blobs: what they took, and the first failure, which stops the others: those not
   * started return at once, and those running are interrupted (a retry's wait ends) and cut off
   * at their content's next read.
   */
  private final class Run {
    final ImageSink sink;
    final AtomicBoolean stopped = new AtomicBoolean();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicReference<BlobTally> tally = new AtomicReference<>(BlobTally.NONE);
    private final Set<Thread> running = new HashSet<>();

    Run(ImageSink sink) {
      this.sink = sink;
    }

    void put(BlobToWrite blob) {
      synchronized (this) {
        if (stopped.get()) {
          return;
        }
        running.add(Thread.currentThread());
      }
      Descriptor d = blob.descriptor();
      try {
        BlobOutcome outcome = sink.putBlob(d, watched(d, blob.content()));
        tally.updateAndGet(t -> t.plus(outcome, d.size()));
        listener.blobDone(d, outcome);
      } catch (IOException | RuntimeException | Error e) {
        stop(e);
      } finally {
        synchronized (this) {
          running.remove(Thread.currentThread());
        }
      }
    }

    private synchronized void stop(Throwable cause) {
      if (stopped.getAndSet(true)) {
        return; // a later failure, most likely of a blob this stop cut off
      }
      failure.set(cause);
      for (Thread t : running) {
        if (t != Thread.currentThread()) {
          t.interrupt(); // its next put never starts: the pool clears the flag before a new task
        }
      }
    }

    /** The content, telling the listener when it first opens and as its bytes move, and cut off once the write stops. */
    private BlobContent watched(Descriptor d, BlobContent content) {
      AtomicBoolean started = new AtomicBoolean();
      return new BlobContent(() -> {
        requireRunning();
        if (started.compareAndSet(false, true)) {
          listener.blobStarted(d);
        }
        return new Progress(content.open(), d);
      }, content.origin());
    }

    private void requireRunning() throws InterruptedIOException {
      if (stopped.get()) {
        throw new InterruptedIOException("write to " + sink.ref() + " stopped: another blob failed");
      }
    }

    void rethrowFirstFailure() throws IOException {
      Throwable t = failure.get();
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof java.io.UncheckedIOException u) {
        throw u.getCause(); // e.g. a source's stream opened inside a lambda: the copy's callers catch IOException
      }
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error err) {
        throw err;
      }
    }

    /** Counts a blob's bytes for the listener; ends the stream early once the write stopped. */
    private final class Progress extends ReadThroughInputStream {
      private final Descriptor blob;
      private long bytes;
      private long reported;

      Progress(InputStream in, Descriptor blob) {
        super(in);
        this.blob = blob;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        requireRunning();
        int n = super.read(b, off, len);
        if (n > 0) {
          bytes += n;
          if (bytes - reported >= PROGRESS_STEP || bytes == blob.size()) {
            reported = bytes;
            listener.blobProgress(blob, bytes);
          }
        }
        return n;
      }
    }
  }

  /** Waits for every worker to end, however long the interrupts take; keeps this thread's interrupt. */
  private static void awaitEnd(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
