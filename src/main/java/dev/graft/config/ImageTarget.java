package dev.graft.config;

import dev.graft.oci.ImageRef;
import java.util.List;
import java.util.Objects;

/**
 * Where to write an image (or index) and under which tags. {@code tags} is the complete list:
 * the tag written in the reference, if any, followed by the {@code tags} asked for (Docker's
 * implied "latest" only when there is nothing else). Push to each of {@code tags}, not to the
 * ref's own tag.
 */
public record ImageTarget(ImageRef ref, List<String> tags) {
  public ImageTarget {
    Objects.requireNonNull(ref, "ref");
    tags = List.copyOf(tags);
    if (ref instanceof ImageRef.Registry r && r.digest() != null) {
      throw new IllegalArgumentException("cannot write to a digest: " + ref);
    }
  }

  /** The reference without its tag ({@code ghcr.io/acme/app}), for messages next to {@link #tags()}. */
  public String name() {
    if (ref instanceof ImageRef.Registry r) {
      return r.registry() + "/" + r.repository();
    }
    return ref.toString();
  }
}
