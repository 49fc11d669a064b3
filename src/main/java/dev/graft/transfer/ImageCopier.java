package dev.graft.transfer;

import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Copies an image between any source and sink, keeping every byte (and so every digest), through
 * {@link ImageWriter}: blobs first (each distinct one once, a bounded number at a time, those the
 * sink has skipped), then manifests, then {@link Attachments} (e.g. signatures), then the root is
 * committed. Without a platform an index is copied whole; with one, that platform's manifest
 * becomes the copied image.
 */
public final class ImageCopier {
  private final ImageWriter writer;

  public ImageCopier(int concurrency, CopyListener listener) {
    this.writer = new ImageWriter(concurrency, listener);
  }

  public CopyResult copy(ImageSource source, ImageSink sink, Optional<Platform> platform) throws IOException {
    return copy(source, sink, platform, Attachments.NONE);
  }

  /** Copies, writing {@code attachments} after the manifests and before the destination's tag moves. */
  public CopyResult copy(ImageSource source, ImageSink sink, Optional<Platform> platform, Attachments attachments)
      throws IOException {
    try {
      return copyUnchecked(source, sink, platform, attachments);
    } catch (java.nio.file.FileSystemException e) {
      throw FileErrors.withContext("cannot copy " + source.ref() + " to " + sink.ref(), e);
    }
  }

  private CopyResult copyUnchecked(ImageSource source, ImageSink sink, Optional<Platform> platform,
      Attachments attachments) throws IOException {
    CopyPlan plan = CopyPlan.resolve(source, platform);
    if (MediaTypes.isIndex(plan.root().mediaType()) && !sink.supportsIndex()) {
      String platforms = plan.platforms().stream()
          .map(p -> String.valueOf(p.platform()))
          .collect(Collectors.joining(", "));
      throw new OciFormatException(sink.ref() + " holds a single platform, but " + source.ref()
          + " is multi-platform (" + platforms + "); choose one with --platform");
    }
    ImageRef.Registry origin = source.ref() instanceof ImageRef.Registry r ? r : null;
    List<BlobToWrite> blobs = plan.blobs().stream()
        .map(d -> new BlobToWrite(d, new BlobContent(() -> source.openBlob(d), origin))).toList();
    BlobTally tally = writer.write(sink, new ImageContents(blobs, plan.manifests(), plan.root()), attachments);
    BlobOutcome[] moved = {BlobOutcome.UPLOADED, BlobOutcome.MOUNTED, BlobOutcome.WRITTEN};
    int copied = 0;
    long bytesCopied = 0;
    for (BlobOutcome o : moved) {
      copied += tally.blobs(o);
      bytesCopied += tally.bytes(o);
    }
    return new CopyResult(plan.root().digest(), plan.root().mediaType(), plan.platforms(), copied, bytesCopied,
        tally.blobs(BlobOutcome.PRESENT), tally.bytes(BlobOutcome.PRESENT));
  }
}
