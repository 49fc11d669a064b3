package dev.graft.assemble;

import dev.graft.config.ImageTarget;
import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.Index;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.registry.BlobOutcome;
import dev.graft.registry.RegistrySink;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Step "write": one target gets the images' blobs (each distinct blob once, a bounded number at a
 * time: base layers straight from the base's source, mounted when the target is another
 * repository of the same registry, skipped when present), then configs and manifests, then the
 * index when there are several platforms, and the tags last. Until the first tag moves, the
 * target's references are as they were.
 */
final class WriteTarget {
  private final ImageTarget target;
  private final List<AssembledImage> images;
  private final boolean index;
  private final TransferOptions transfer;
  private final BuildListener listener;
  private final TransferCounts counts;
  private final BeforeCommit beforeCommit;

  /** Extra artifacts written after the image's manifests and before its reference moves (signatures, referrers). */
  @FunctionalInterface
  interface BeforeCommit {
    BeforeCommit NONE = (ref, root) -> { };

    void run(ImageRef ref, Blob root) throws IOException;
  }

  WriteTarget(ImageTarget target, List<AssembledImage> images, boolean index, TransferOptions transfer,
      BuildListener listener, TransferCounts counts) {
    this(target, images, index, transfer, listener, counts, BeforeCommit.NONE);
  }

  WriteTarget(ImageTarget target, List<AssembledImage> images, boolean index, TransferOptions transfer,
      BuildListener listener, TransferCounts counts, BeforeCommit beforeCommit) {
    this.beforeCommit = beforeCommit;
    this.target = target;
    this.images = List.copyOf(images);
    this.index = index;
    this.transfer = transfer;
    this.listener = listener;
    this.counts = counts;
  }

  BuildResult.TargetResult run() throws IOException {
    List<String> tags = target.tags();
    ImageRef first = withTag(target.ref(), tags.isEmpty() ? null : tags.get(0));
    String name = first.toString();
    Blob root = index
        ? new Index(MediaTypes.DOCKER_MANIFEST.equals(images.get(0).manifest().mediaType()) ? MediaTypes.DOCKER_MANIFEST_LIST
            : MediaTypes.OCI_INDEX, images.stream().map(AssembledImage::indexEntry).toList(), Map.of()).toBlob()
        : images.get(0).manifest();
    try (ImageSink sink = open(first, name)) {
      if (index && !sink.supportsIndex()) {
        throw new OciFormatException(name + " holds a single platform; build one platform with --platform");
      }
      putBlobs(sink, name);
      for (AssembledImage img : images) {
        sink.putManifest(img.manifest());
      }
      if (index) {
        sink.putManifest(root);
      }
      beforeCommit.run(first, root);
      sink.commit(root);
    }
    // More tags: only a registry holds several; each is one manifest PUT of the same bytes.
    if (target.ref() instanceof ImageRef.Registry r) {
      for (String tag : tags.subList(Math.min(1, tags.size()), tags.size())) {
        try (ImageSink sink = new RegistrySink(r.withTag(tag), transfer.registry())) {
          sink.commit(root);
        }
      }
    }
    listener.targetWritten(name, root.digest());
    return new BuildResult.TargetResult(name, root.digest(), target.ref() instanceof ImageRef.Registry
        ? tags : tags.stream().limit(1).toList());
  }

  private ImageSink open(ImageRef ref, String name) throws IOException {
    if (ref instanceof ImageRef.Registry r) {
      return new RegistrySink(r, transfer.registry(), (d, outcome) -> done(name, d, switch (outcome) {
        case MOUNTED -> "mounted";
        case ALREADY_PRESENT -> "skipped";
        default -> "uploaded";
      }));
    }
    return Images.create(ref, transfer);
  }

  private void done(String name, Descriptor d, String outcome) {
    counts.count(outcome, d.size());
    listener.blobDone(name, d, outcome);
  }

  /** Every distinct blob with how to read it: base layers from the base's source, the rest from disk or memory. */
  private void putBlobs(ImageSink sink, String name) throws IOException {
    Map<Digest, Runnable> jobs = new LinkedHashMap<>();
    List<IOException> failures = new ArrayList<>();
    for (AssembledImage img : images) {
      ImageRef.Registry origin = img.base().source().ref() instanceof ImageRef.Registry r ? r : null;
      for (Descriptor d : img.base().manifest().layers()) {
        jobs.putIfAbsent(d.digest(), () -> put(sink, name, d, new BlobContent(() -> img.base().source().openBlob(d),
            origin), failures));
      }
      for (AddedLayer a : img.added()) {
        Descriptor d = a.layer().descriptor();
        jobs.putIfAbsent(d.digest(), () -> put(sink, name, d, dev.graft.buildcache.LayerContent.of(a.layer(), transfer.registry()), failures));
      }
      Blob config = img.config();
      jobs.putIfAbsent(config.digest(), () -> put(sink, name, config.descriptor(),
          new BlobContent(() -> new java.io.ByteArrayInputStream(config.bytes()), null), failures));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(transfer.concurrency(), jobs.size())),
        r -> {
          Thread t = new Thread(r, "graft-push");
          t.setDaemon(true);
          return t;
        });
    try {
      List<Future<?>> futures = jobs.values().stream().<Future<?>>map(pool::submit).toList();
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing to " + name);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
    }
  }

  private void put(ImageSink sink, String name, Descriptor d, BlobContent content, List<IOException> failures) {
    try {
      boolean registry = sink instanceof RegistrySink;
      if (!registry && sink.hasBlob(d)) {
        done(name, d, "skipped");
        return;
      }
      listener.blobStarted(name, d);
      BlobContent counted = new BlobContent(() -> progress(content.open(), name, d), content.origin());
      sink.putBlob(d, counted);
      if (!registry) {
        done(name, d, "written"); // into a local layout or archive; a registry sink reports its own outcome
      }
    } catch (IOException e) {
      synchronized (failures) {
        failures.add(e);
      }
    }
  }

  private InputStream progress(InputStream in, String name, Descriptor d) {
    return new FilterInputStream(in) {
      long bytes;
      long reported;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          bytes += n;
          if (bytes - reported >= (1 << 20) || bytes == d.size()) {
            reported = bytes;
            listener.blobProgress(name, d, bytes);
          }
        }
        return n;
      }
    };
  }

  static ImageRef withTag(ImageRef ref, String tag) {
    if (tag == null) {
      return ref;
    }
    if (ref instanceof ImageRef.Registry r) {
      return r.withTag(tag);
    }
    if (ref instanceof ImageRef.OciLayout l) {
      return new ImageRef.OciLayout(l.dir(), tag);
    }
    if (ref instanceof ImageRef.OciArchive a) {
      return new ImageRef.OciArchive(a.file(), tag);
    }
    return ref;
  }
}
