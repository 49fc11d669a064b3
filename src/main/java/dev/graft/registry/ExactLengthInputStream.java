package dev.graft.registry;

import dev.graft.oci.ReadThroughInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An HTTP body that ends before its Content-Length is an error, not an end: HttpURLConnection
 * reports a connection closed early as a normal end of stream, which would turn a cut-off
 * manifest, blob or npm tarball into a digest mismatch instead of a retry.
 */
public final class ExactLengthInputStream extends ReadThroughInputStream {
  private final long length;
  private long read;

  /** {@code length} is the Content-Length; a negative one (none given) checks nothing. */
  public ExactLengthInputStream(InputStream in, long length) {
    super(in);
    this.length = length;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      read += n;
    } else if (n < 0 && length >= 0 && read < length) {
      throw new EOFException("the connection closed after " + read + " of " + length + " bytes");
    }
    return n;
  }
}
