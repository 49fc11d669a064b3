package dev.graft.layer;

import dev.graft.oci.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and sha256-hashes bytes on their way through, so digests never need a second pass. */
final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest sha = Digest.newSha256();
  private long count;

  HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha.update(b, off, len);
    count += len;
  }

  long count() {
    return count;
  }

  Digest digest() {
    return Digest.ofSha256(sha.digest());
  }
}
