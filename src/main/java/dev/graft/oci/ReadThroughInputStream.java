package dev.graft.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter whose every byte passes through {@link #read(byte[], int, int)}: single-byte reads and
 * skips are routed there, so a subclass that hashes, counts or limits bytes in that one method
 * sees all of them (FilterInputStream's own skip would bypass it).
 */
public class ReadThroughInputStream extends FilterInputStream {
  protected ReadThroughInputStream(InputStream in) {
    super(in);
  }

  @Override
  public final int read() throws IOException {
    return BulkReadInputStream.readOne(this);
  }

  @Override
  public final long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
