package dev.graft.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Copies a chunked HTTP/1.1 body as it is (framing included), stopping at its last chunk. */
final class Chunked {
  private Chunked() {}

  /** Copies up to {@code limit} payload bytes; false when stopped by the limit before the end. */
  static boolean copy(InputStream in, OutputStream out, long limit) throws IOException {
    long payload = 0;
    while (true) {
      String sizeLine = line(in);
      out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      int semi = sizeLine.indexOf(';');
      long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
          out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return true;
      }
      long take = Math.min(size, limit - payload);
      byte[] buf = new byte[64 * 1024];
      for (long left = take; left > 0; ) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          throw new IOException("chunked body ended early");
        }
        out.write(buf, 0, r);
        left -= r;
      }
      if (take < size) {
        out.flush();
        return false;
      }
      payload += size;
      line(in); // CRLF after the chunk
      out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    throw new IOException("chunked body ended early");
  }
}
