package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;

/**
 * Hears what {@link ImageWriter} does, so a CLI can render progress; the library itself prints
 * nothing. Blob events arrive from several worker threads at once: implementations must be
 * thread-safe.
 */
public interface WriteListener {
  WriteListener NONE = new WriteListener() {};

  /**
   * A blob's bytes start to move: the sink opened its content for the first time. A blob the
   * destination already has, or mounts from another repository, never starts.
   */
  default void blobStarted(Descriptor blob) {}

  /**
   * More of a blob's bytes moved: {@code bytes} so far, reported every MiB and at the end. A
   * retry sends the blob again, and its count starts again from zero.
   */
  default void blobProgress(Descriptor blob, long bytes) {}

  /** A blob is at the destination, and what that took. */
  default void blobDone(Descriptor blob, BlobOutcome outcome) {}

  /** A manifest or index was written (before the root is committed). */
  default void manifestWritten(Blob manifest) {}
}
