package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reopenable blob content (for retries), with where it came from when that was a registry, so
 * a registry sink on the same host can mount it instead of uploading it.
 */
public record BlobContent(Opener opener, ImageRef.Registry origin) {
  /** Opens the content from the start. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  public InputStream open() throws IOException {
    return opener.open();
  }
}
