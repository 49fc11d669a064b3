package dev.graft.transfer;

import dev.graft.oci.BlobContent;
import dev.graft.oci.Descriptor;
import java.util.Objects;

/** One blob for {@link ImageWriter}: what it is (digest, size) and how to read it. */
public record BlobToWrite(Descriptor descriptor, BlobContent content) {
  public BlobToWrite {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(content, "content");
  }
}
