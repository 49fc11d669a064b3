package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes a blob through while hashing it; fails as soon as more bytes arrive than the descriptor
 * declares, and at the end when the size or digest differ. {@code where} names the source in errors.
 */
public final class VerifyingInputStream extends ReadThroughInputStream {
  private final Descriptor expected;
  private final String where;
  private final MessageDigest hasher;
  private long count;
  private boolean verified;

  public VerifyingInputStream(InputStream in, Descriptor expected, String where) {
    super(in);
    this.expected = expected;
    this.where = where;
    this.hasher = expected.digest().newHasher();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    count += n;
    if (count > expected.size()) {
      throw new DigestMismatchException(where + ": blob " + expected.digest() + " is longer than its declared "
          + expected.size() + " bytes");
    }
    hasher.update(b, off, n);
    return n;
  }

  private void verify() throws DigestMismatchException {
    if (verified) {
      return;
    }
    verified = true;
    if (count != expected.size()) {
      throw new DigestMismatchException(where + ": blob " + expected.digest() + " has " + count
          + " bytes, its descriptor declares " + expected.size() + " (truncated or altered)");
    }
    String actual = HexFormat.of().formatHex(hasher.digest());
    if (!actual.equals(expected.digest().hex())) {
      throw new DigestMismatchException(where + ": blob content does not match its digest: expected "
          + expected.digest() + ", got " + expected.digest().algorithm() + ":" + actual);
    }
  }
}
