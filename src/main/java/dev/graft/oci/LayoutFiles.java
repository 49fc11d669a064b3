package dev.graft.oci;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Read access to the files of an OCI image layout, wherever they are stored: a directory or a
 * tar archive. Names are relative and '/'-separated ({@code index.json}, {@code blobs/sha256/…}).
 */
interface LayoutFiles extends Closeable {
  /** The size of a regular file, or -1 when there is none of that name. */
  long size(String name) throws IOException;

  /** Opens a regular file that {@link #size} reported. */
  InputStream open(String name) throws IOException;
}
