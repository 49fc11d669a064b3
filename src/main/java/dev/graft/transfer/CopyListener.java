package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;

/**
 * Hears what a copy does, so a CLI can render progress; the library itself prints nothing.
 * Blob events arrive from several worker threads at once: implementations must be thread-safe.
 */
public interface CopyListener {
  CopyListener NONE = new CopyListener() {};

  /** A blob (config or layer) is about to be copied. */
  default void blobStarted(Descriptor blob) {}

  /** A blob was copied; {@code bytes} is its (compressed) size. */
  default void blobFinished(Descriptor blob, long bytes) {}

  /** The destination already had this blob, so it was not copied. */
  default void blobSkipped(Descriptor blob) {}

  /** A registry request or transfer failed and is tried again after {@code wait}. */
  default void retrying(String what, String why, java.time.Duration wait, int attempt, int maxAttempts) {}

  /** A manifest or index was written (before the root is committed). */
  default void manifestWritten(Blob manifest) {}
}
