package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Copies an image between any source and sink, keeping every byte (and so every digest):
 * blobs first (each distinct one once, those the sink has skipped, a bounded number at a time),
 * then manifests, then the root is committed. Without a platform an index is copied whole;
 * with one, that platform's manifest becomes the copied image.
 */
public final class ImageCopier {
  private final int concurrency;
  private final CopyListener listener;

  public ImageCopier(int concurrency, CopyListener listener) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    this.concurrency = concurrency;
    this.listener = listener;
  }

  public CopyResult copy(ImageSource source, ImageSink sink, Optional<Platform> platform) throws IOException {
    try {
      return copyUnchecked(source, sink, platform);
    } catch (java.nio.file.FileSystemException e) {
      throw FileErrors.withContext("cannot copy " + source.ref() + " to " + sink.ref(), e);
    }
  }

  private CopyResult copyUnchecked(ImageSource source, ImageSink sink, Optional<Platform> platform)
      throws IOException {
    CopyPlan plan = CopyPlan.resolve(source, platform);
    if (MediaTypes.isIndex(plan.root().mediaType()) && !sink.supportsIndex()) {
      String platforms = plan.platforms().stream()
          .map(p -> String.valueOf(p.platform()))
          .collect(Collectors.joining(", "));
      throw new OciFormatException(sink.ref() + " holds a single platform, but " + source.ref()
          + " is multi-platform (" + platforms + "); choose one with --platform");
    }
    Counts counts = copyBlobs(source, sink, plan.blobs());
    for (Blob m : plan.manifests()) {
      sink.putManifest(m);
      listener.manifestWritten(m);
    }
    sink.commit(plan.root());
    return new CopyResult(plan.root().digest(), plan.root().mediaType(), plan.platforms(),
        counts.copied.get(), counts.bytesCopied.get(), counts.skipped.get(), counts.bytesSkipped.get());
  }

  private record Counts(AtomicInteger copied, AtomicLong bytesCopied, AtomicInteger skipped, AtomicLong bytesSkipped) {}

  private Counts copyBlobs(ImageSource source, ImageSink sink, List<Descriptor> blobs) throws IOException {
    Counts counts = new Counts(new AtomicInteger(), new AtomicLong(), new AtomicInteger(), new AtomicLong());
    ImageRef.Registry origin = source.ref() instanceof ImageRef.Registry r ? r : null;
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, blobs.size())), r -> {
      Thread t = new Thread(r, "graft-copy");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Descriptor d : blobs) {
        futures.add(pool.submit(() -> {
          copyBlob(source, sink, d, origin, counts);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        await(f);
      }
    } finally {
      // On failure, stop the rest and wait for running copies to end: the caller closes the sink
      // next, and a blob still being written would race its clean-up.
      pool.shutdownNow();
      awaitQuietly(pool);
    }
    return counts;
  }

  private void copyBlob(ImageSource source, ImageSink sink, Descriptor d, ImageRef.Registry origin, Counts counts)
      throws IOException {
    if (sink.hasBlob(d)) {
      counts.skipped.incrementAndGet();
      counts.bytesSkipped.addAndGet(d.size());
      listener.blobSkipped(d);
      return;
    }
    listener.blobStarted(d);
    sink.putBlob(d, new BlobContent(() -> source.openBlob(d), origin));
    counts.copied.incrementAndGet();
    counts.bytesCopied.addAndGet(d.size());
    listener.blobFinished(d, d.size());
  }

  private static void awaitQuietly(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
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

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("copy interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IOException(c);
    }
  }
}
