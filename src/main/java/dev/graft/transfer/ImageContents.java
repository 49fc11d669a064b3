package dev.graft.transfer;

import dev.graft.oci.Blob;
import java.util.List;
import java.util.Objects;

/**
 * An image as {@link ImageWriter} takes it: its blobs (configs and layers, in any order; a digest
 * listed twice is written once), its manifests in the order they are written (children before
 * the index that lists them) and the root its reference will name, one of those manifests.
 */
public record ImageContents(List<BlobToWrite> blobs, List<Blob> manifests, Blob root) {
  public ImageContents {
    blobs = List.copyOf(blobs);
    manifests = List.copyOf(manifests);
    Objects.requireNonNull(root, "root");
    if (manifests.stream().noneMatch(m -> m.digest().equals(root.digest()))) {
      throw new IllegalArgumentException("root " + root.digest() + " is not among the manifests to write");
    }
  }
}
