package dev.graft.oci;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Read access to one image reference: a registry repository, an OCI layout or an archive.
 * Everything it returns is verified: manifests and small blobs are checked against their digest
 * and size before they are returned; streams from {@link #openBlob} fail at the end (or as soon
 * as they exceed the declared size) when the content does not match the descriptor.
 */
public interface ImageSource extends Closeable {
  ImageRef ref();

  /** The manifest or index the reference names, with its exact bytes and media type. */
  Blob root() throws IOException;

  /** A manifest or index that an index points at. */
  Blob manifest(Descriptor descriptor) throws IOException;

  /** Opens a blob (layer or config) for streaming; the stream verifies size and digest. */
  InputStream openBlob(Descriptor descriptor) throws IOException;

  /** Reads a small blob (a config) whole, verified. */
  default Blob readBlob(Descriptor descriptor) throws IOException {
    if (descriptor.size() > Json.MAX_DOCUMENT_BYTES) {
      throw new OciFormatException("blob " + descriptor.digest() + " declares " + descriptor.size()
          + " bytes, over the " + Json.MAX_DOCUMENT_BYTES + "-byte limit for image metadata");
    }
    try (InputStream in = openBlob(descriptor)) {
      return new Blob(descriptor.mediaType(), in.readAllBytes());
    }
  }
}
