package dev.graft.config;

import dev.graft.oci.ImageRef;
import java.util.List;
import java.util.Objects;

/**
 * Where to write an image (or index) and under which tags. {@code tags} is the complete list:
 * the reference's own tag, if it had one, followed by the {@code tags} asked for.
 */
public record ImageTarget(ImageRef ref, List<String> tags) {
  public ImageTarget {
    Objects.requireNonNull(ref, "ref");
    tags = List.copyOf(tags);
    if (ref instanceof ImageRef.Registry r && r.digest() != null) {
      throw new IllegalArgumentException("cannot write to a digest: " + ref);
    }
  }
}
