package dev.graft.oci;

import java.io.Closeable;
import java.io.IOException;

/**
 * Write access to one image destination. Callers write every blob, then every manifest, then
 * {@link #commit} the root: a sink makes the reference (tag, index.json entry, archive file)
 * visible only in {@code commit}, so a failure before it leaves the destination as it was.
 */
public interface ImageSink extends Closeable {
  ImageRef ref();

  /**
   * Whether the destination can hold an index (several platforms). A docker-save tar cannot; the
   * copier asks first so it can refuse before writing anything.
   */
  default boolean supportsIndex() {
    return true;
  }

  /** Whether the destination already holds this blob (so it need not be written again). */
  boolean hasBlob(Descriptor descriptor) throws IOException;

  /** Writes a blob whose content matches {@code descriptor}; may call {@code content.open()} more than once. */
  void putBlob(Descriptor descriptor, BlobContent content) throws IOException;

  /** Writes a manifest or index by digest, not yet reachable by the reference's tag. */
  void putManifest(Blob manifest) throws IOException;

  /** Points the reference at {@code root} (already written with putManifest) and finishes the destination. */
  void commit(Blob root) throws IOException;
}
