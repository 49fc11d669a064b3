package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's bytes as a function that opens them, never the bytes held whole, with where they came
 * from when that was a registry (so a registry sink on the same host can mount the blob instead
 * of uploading it).
 *
 * <p><b>Reopenable</b>: every {@link #open} streams the same bytes from the first. A sink opens
 * the content only to move bytes (never for a blob it has or mounts) and again for each retry, so
 * a retry needs no buffer. <b>Size and digest</b> are not the content's to say: they travel beside
 * it in the blob's {@link Descriptor}, known before the put, and every sink checks them while
 * streaming ({@link VerifyingInputStream}: too many bytes fail at once, a wrong size or digest at
 * the end), so content that lies fails its put and leaves nothing behind. How content whose
 * digest is only computed while it streams fits in: see {@code dev.graft.transfer.ImageWriter}.
 */
public record BlobContent(Opener opener, ImageRef.Registry origin) {
  /** Opens the content from the start. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  /** Bytes in memory (a config, a small artifact), from nowhere a registry could mount. */
  public static BlobContent of(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new BlobContent(() -> new java.io.ByteArrayInputStream(copy), null);
  }

  public InputStream open() throws IOException {
    return opener.open();
  }
}
