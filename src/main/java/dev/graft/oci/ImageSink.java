package dev.graft.oci;

import java.io.Closeable;
import java.io.IOException;

/**
 * Write access to one image destination. Callers write every blob, then every manifest, then
 * {@link #commit} the root: a sink makes the reference (tag, index.json entry, archive file)
 * visible only in {@code commit}, so a failure before it leaves the destination as it was.
 * {@code dev.graft.transfer.ImageWriter} is the one caller that writes images this way.
 */
public interface ImageSink extends Closeable {
  ImageRef ref();

  /**
   * Whether the destination can hold an index (several platforms). A docker-save tar cannot; the
   * writers ask first so they can refuse before writing anything.
   */
  default boolean supportsIndex() {
    return true;
  }

  /**
   * Puts a blob whose content matches {@code descriptor} and says what that took: {@link
   * BlobOutcome#PRESENT} when the destination had it (checked here, once: callers do not ask
   * first), {@link BlobOutcome#MOUNTED} when a registry took it from {@code content.origin()}, else
   * {@link BlobOutcome#UPLOADED} or {@link BlobOutcome#WRITTEN}. Opens {@code content} only to
   * move bytes, and again for each retry; content that does not match the descriptor's size and
   * digest fails the put and leaves nothing behind.
   */
  BlobOutcome putBlob(Descriptor descriptor, BlobContent content) throws IOException;

  /** Writes a manifest or index by digest, not yet reachable by the reference's tag. */
  void putManifest(Blob manifest) throws IOException;

  /** Points the reference at {@code root} (already written with putManifest) and finishes the destination. */
  void commit(Blob root) throws IOException;
}
