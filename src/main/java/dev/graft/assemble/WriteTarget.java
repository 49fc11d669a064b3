package dev.graft.assemble;

import dev.graft.buildcache.LayerContent;
import dev.graft.config.ImageTarget;
import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.Index;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.transfer.Attachments;
import dev.graft.transfer.BlobTally;
import dev.graft.transfer.BlobToWrite;
import dev.graft.transfer.ImageContents;
import dev.graft.transfer.ImageWriter;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import dev.graft.transfer.WriteListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step "write": one target gets the assembled images through {@link ImageWriter}, the path
 * {@code graft copy} takes too: every distinct blob once (base layers straight from the base's
 * source, so a registry on the same host mounts them; graft's layers from the layer cache;
 * configs from memory), the manifests, the index when there are several platforms, the build's
 * {@link Attachments}, then the first tag and the others. Until the first tag moves, the
 * target's references are as they were.
 */
final class WriteTarget {
  private final ImageTarget target;
  private final List<AssembledImage> images;
  private final boolean index;
  private final TransferOptions transfer;
  private final BuildListener listener;
  private final Attachments attachments;

  /** What writing one target gave: its result, and how its blobs got there. */
  record Written(BuildResult.TargetResult result, BlobTally blobs) {}

  WriteTarget(ImageTarget target, List<AssembledImage> images, boolean index, TransferOptions transfer,
      BuildListener listener, Attachments attachments) {
    this.target = target;
    this.images = List.copyOf(images);
    this.index = index;
    this.transfer = transfer;
    this.listener = listener;
    this.attachments = attachments;
  }

  Written run() throws IOException {
    List<String> tags = target.tags();
    ImageRef first = withTag(target.ref(), tags.isEmpty() ? null : tags.get(0));
    String name = first.toString();
    Blob root = index
        ? new Index(MediaTypes.DOCKER_MANIFEST.equals(images.get(0).manifest().mediaType()) ? MediaTypes.DOCKER_MANIFEST_LIST
            : MediaTypes.OCI_INDEX, images.stream().map(AssembledImage::indexEntry).toList(), Map.of()).toBlob()
        : images.get(0).manifest();
    ImageWriter writer = new ImageWriter(transfer.concurrency(), events(name));
    BlobTally blobs;
    try (ImageSink sink = Images.create(first, transfer)) {
      if (index && !sink.supportsIndex()) {
        throw new OciFormatException(name + " holds a single platform; build one platform with --platform");
      }
      blobs = writer.write(sink, contents(root), attachments);
    }
    // More tags: only a registry holds several; each is one manifest PUT of the same bytes.
    boolean registry = target.ref() instanceof ImageRef.Registry;
    for (String tag : registry ? tags.subList(Math.min(1, tags.size()), tags.size()) : List.<String>of()) {
      writer.tag(Images.create(withTag(target.ref(), tag), transfer), root);
    }
    listener.targetWritten(name, root.digest());
    return new Written(new BuildResult.TargetResult(name, root.digest(), registry ? tags
        : tags.stream().limit(1).toList()), blobs);
  }

  /** Every image's blobs with how to read them, its manifest, and the index last when there is one. */
  private ImageContents contents(Blob root) {
    List<BlobToWrite> blobs = new ArrayList<>();
    List<Blob> manifests = new ArrayList<>();
    for (AssembledImage img : images) {
      ImageRef.Registry origin = img.base().source().ref() instanceof ImageRef.Registry r ? r : null;
      for (Descriptor d : img.base().manifest().layers()) {
        blobs.add(new BlobToWrite(d, new BlobContent(() -> img.base().source().openBlob(d), origin)));
      }
      for (AddedLayer a : img.added()) {
        // graft's layers from the layer cache, or from the registry build cache's repository
        blobs.add(new BlobToWrite(a.layer().descriptor(), LayerContent.of(a.layer(), transfer.registry())));
      }
      blobs.add(new BlobToWrite(img.config().descriptor(), BlobContent.of(img.config().bytes())));
      manifests.add(img.manifest());
    }
    if (index) {
      manifests.add(root);
    }
    return new ImageContents(blobs, manifests, root);
  }

  /** The writer's events as build events about this target. */
  private WriteListener events(String name) {
    return new WriteListener() {
      @Override
      public void blobStarted(Descriptor blob) {
        listener.blobStarted(name, blob);
      }

      @Override
      public void blobProgress(Descriptor blob, long bytes) {
        listener.blobProgress(name, blob, bytes);
      }

      @Override
      public void blobDone(Descriptor blob, BlobOutcome outcome) {
        listener.blobDone(name, blob, shown(outcome));
      }
    };
  }

  /** An outcome as build events and --json name it. */
  static String shown(BlobOutcome outcome) {
    return switch (outcome) {
      case PRESENT -> "skipped";
      case MOUNTED -> "mounted";
      case UPLOADED -> "uploaded";
      case WRITTEN -> "written";
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
