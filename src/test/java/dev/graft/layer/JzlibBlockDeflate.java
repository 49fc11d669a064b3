package dev.graft.layer;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * graft's previous block deflater (jzlib 1.1.3), kept in the tests as the yardstick that
 * {@code bench/compress.sh} compares the current encoder with.
 */
final class JzlibBlockDeflate {
  private JzlibBlockDeflate() {}

  /**
   * One block as raw deflate. jzlib only accepts a preset dictionary in zlib-wrapped mode, so the
   * block is deflated with the zlib wrapper and the wrapper is cut off: the 2-byte header, the
   * 4-byte dictionary id when a dictionary was set, and on the last block the Adler-32 trailer.
   */
  static byte[] deflate(byte[] data, byte[] dict, boolean last, int level) throws GZIPException {
    Deflater d = new Deflater(level, 15, false);
    if (dict != null && d.setDictionary(dict, dict.length) != JZlib.Z_OK) {
      throw new IllegalStateException("jzlib setDictionary failed");
    }
    d.setInput(data, 0, data.length, false);
    ByteArrayOutputStream result = new ByteArrayOutputStream(data.length / 2 + 64);
    byte[] buf = new byte[64 * 1024];
    int flush = last ? JZlib.Z_FINISH : JZlib.Z_SYNC_FLUSH;
    while (true) {
      d.setOutput(buf, 0, buf.length);
      int err = d.deflate(flush);
      if (err != JZlib.Z_OK && err != JZlib.Z_STREAM_END && err != JZlib.Z_BUF_ERROR) {
        throw new IllegalStateException("deflate error " + err);
      }
      result.write(buf, 0, buf.length - d.avail_out);
      if (last ? err == JZlib.Z_STREAM_END : d.avail_out != 0) {
        break;
      }
    }
    d.end();
    byte[] zlib = result.toByteArray();
    return Arrays.copyOfRange(zlib, dict != null ? 6 : 2, zlib.length - (last ? 4 : 0));
  }
}
