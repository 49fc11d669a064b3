package dev.graft.transfer;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import java.util.Objects;

/** One platform's manifest in a copied image; {@code platform} is null when the image does not say. */
public record PlatformManifest(Platform platform, Digest digest) {
  public PlatformManifest {
    Objects.requireNonNull(digest, "digest");
  }
}
