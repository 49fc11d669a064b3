package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that reads in bulk only: a subclass implements {@link #read(byte[], int, int)},
 * and the single-byte read goes through it, so the window, count or check kept there sees every
 * byte. {@link ReadThroughInputStream} is the same for a filter.
 */
public abstract class BulkReadInputStream extends InputStream {
  protected BulkReadInputStream() {}

  @Override
  public final int read() throws IOException {
    return readOne(this);
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;

  /** One byte read through {@code in}'s bulk read (asked again while it reads none), or -1 at the end. */
  static int readOne(InputStream in) throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = in.read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }
}
