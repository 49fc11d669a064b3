package dev.graft.layer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that writes in bulk only: a subclass implements {@link #write(byte[], int, int)}
 * and the single-byte write goes through it (a compressor's block, window and closed checks live
 * in one method). The write side of {@link dev.graft.oci.BulkReadInputStream}.
 */
public abstract class BulkWriteOutputStream extends OutputStream {
  protected BulkWriteOutputStream() {}

  @Override
  public final void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public abstract void write(byte[] b, int off, int len) throws IOException;
}
