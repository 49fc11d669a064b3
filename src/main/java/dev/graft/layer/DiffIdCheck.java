package dev.graft.layer;

import dev.graft.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes a layer's uncompressed bytes as they are read and compares them with the diffID its
 * image config declares. The compressed digest proves the blob is the one the manifest names;
 * only this proves the config describes it, so a base whose config lies is refused.
 */
final class DiffIdCheck extends dev.graft.oci.ReadThroughInputStream {
  private final Digest expected;
  private final String layer;
  private final MessageDigest hasher;

  DiffIdCheck(InputStream in, Digest expected, String layer) {
    super(in);
    this.expected = expected;
    this.layer = layer;
    this.hasher = expected.newHasher();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      hasher.update(b, off, n);
    }
    return n;
  }

  /** Reads what the tar reader left (past the end marker) and compares the digest. */
  void verifyToEnd() throws IOException {
    byte[] buf = new byte[8192];
    while (read(buf, 0, buf.length) >= 0) {
      // hashing happens in read
    }
    String actual = HexFormat.of().formatHex(hasher.digest());
    if (!actual.equals(expected.hex())) {
      throw new LayerFormatException("layer " + layer + ": its uncompressed content is " + expected.algorithm() + ":"
          + actual + ", but the image config's diff_ids say " + expected + " (the config does not describe this layer)");
    }
  }
}
