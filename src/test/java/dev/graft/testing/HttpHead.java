package dev.graft.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The start line and headers of an HTTP/1.1 message, as FaultProxy reads and rewrites them.
 * Header names keep their case; lookups ignore it.
 */
record HttpHead(String startLine, List<Map.Entry<String, String>> headers) {
  private static final int MAX_HEAD = 64 * 1024;

  HttpHead {
    headers = List.copyOf(headers);
  }

  /** Reads a head, or returns null at end of stream or when the bytes are not HTTP (e.g. a TLS hello). */
  static HttpHead read(InputStream in) throws IOException {
    String start = line(in);
    if (start == null || !start.matches("[A-Z]+ \\S+ HTTP/1\\.[01]|HTTP/1\\.[01] [0-9]{3}.*")) {
      return null;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.add(Map.entry(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
      }
    }
    return new HttpHead(start, headers);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      if (b.size() > MAX_HEAD || c < 0x09) {
        return null;
      }
      b.write(c);
    }
    return null;
  }

  String method() {
    return startLine.substring(0, startLine.indexOf(' '));
  }

  String target() {
    return startLine.split(" ")[1];
  }

  int status() {
    return Integer.parseInt(startLine.split(" ")[1]);
  }

  String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  long contentLength() {
    String v = header("Content-Length");
    return v == null ? -1 : Long.parseLong(v);
  }

  boolean chunked() {
    String v = header("Transfer-Encoding");
    return v != null && v.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** This head with Connection: close (one exchange per connection keeps the proxy simple). */
  HttpHead closing() {
    List<Map.Entry<String, String>> h = new ArrayList<>();
    for (Map.Entry<String, String> e : headers) {
      String n = e.getKey().toLowerCase(Locale.ROOT);
      if (!n.equals("connection") && !n.equals("keep-alive")) {
        h.add(e);
      }
    }
    h.add(Map.entry("Connection", "close"));
    return new HttpHead(startLine, h);
  }

  void write(OutputStream out) throws IOException {
    StringBuilder s = new StringBuilder(startLine).append("\r\n");
    headers.forEach(e -> s.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n"));
    s.append("\r\n");
    out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
