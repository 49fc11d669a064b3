package dev.graft.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends HTTP/1.1 requests through the JDK's {@link HttpURLConnection}: blocking, with the JDK's
 * keep-alive connection pool shared by every registry and repository. It replaced java.net.http,
 * whose asynchronous machinery took a quarter of a second to answer the first request of a run
 * (0.26 s against 0.05 s for the same GET to a local registry, with class-data sharing): most of a
 * cached rebuild's registry time.
 *
 * <p>TLS is set up on first use per trust setting and shared (a verifying context loads the JDK's
 * CA store); a plain-HTTP address never sets up TLS at all. Redirects are never followed here
 * (RegistryHttp follows them, keeping credentials on the registry's host). Timeouts bound
 * connecting and every wait for response bytes, so a stalled download fails after the timeout
 * instead of hanging.
 */
final class Transport {
  private static final Map<String, SSLSocketFactory> TLS = new ConcurrentHashMap<>();
  private static final int CHUNK = 64 * 1024;
  private static final InputStream EMPTY = InputStream.nullInputStream();

  private final String key;
  private final TlsMaker maker;
  private final boolean checkHostName;

  private Transport(String key, TlsMaker maker, boolean checkHostName) {
    this.key = key;
    this.maker = maker;
    this.checkHostName = checkHostName;
  }

  @FunctionalInterface
  private interface TlsMaker {
    SSLSocketFactory make() throws IOException;
  }

  /** Verifies certificates against the JDK's CAs and, when given, those in {@code extraCaPem}. */
  static Transport verified(Path extraCaPem) {
    return new Transport("verified " + extraCaPem, () -> Tls.verified(extraCaPem).getSocketFactory(), true);
  }

  /** Accepts any certificate for any host name: only for registries the user named insecure. */
  static Transport unverified() {
    return new Transport("unverified", () -> Tls.unverified().getSocketFactory(), false);
  }

  /** Sets TLS up now, so that a set-up failure (an unreadable CA file) is reported before any request. */
  void prepare() throws IOException {
    tls();
  }

  private SSLSocketFactory tls() throws IOException {
    try {
      return TLS.computeIfAbsent(key, k -> {
        try {
          return maker.make();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Sends {@code request} and returns its response, whatever the status. Over https with this
   * transport's trust; over http without TLS (callers decide whether http is allowed).
   */
  Response send(Request request) throws IOException {
    URLConnection opened = request.uri().toURL().openConnection();
    if (!(opened instanceof HttpURLConnection c)) {
      throw new IOException("not an HTTP address: " + request.uri());
    }
    if (c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls());
      if (!checkHostName) {
        https.setHostnameVerifier((host, session) -> true);
      }
    }
    int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, request.timeout().toMillis()));
    c.setConnectTimeout(timeout);
    c.setReadTimeout(timeout);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setAllowUserInteraction(false);
    c.setRequestMethod(request.method());
    c.setRequestProperty("Accept", "*/*"); // HttpURLConnection's own default is a browser's list
    request.headers().forEach(c::setRequestProperty);
    try {
      writeBody(c, request);
      int status = c.getResponseCode(); // also for a 401 to a streamed body, where reading throws
      if (status < 100) {
        throw new IOException("no valid HTTP response from " + request.uri().getRawAuthority());
      }
      InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
      body = body == null ? EMPTY : body;
      if (request.method().equals("HEAD") || status == 204 || status == 304) {
        body.close(); // no body: the connection goes back to the pool
        body = EMPTY;
      }
      Map<String, List<String>> headers = headers(c);
      long length = c.getContentLengthLong();
      if (length >= 0 && body != EMPTY) {
        body = new ExactLengthInputStream(body, length);
      }
      return new Response(status, headers, body);
    } catch (IOException | RuntimeException e) {
      c.disconnect(); // never reuse a connection in an unknown state
      throw e;
    }
  }

  private static void writeBody(HttpURLConnection c, Request request) throws IOException {
    Request.Body body = request.body();
    String m = request.method();
    if (body == null && !m.equals("POST") && !m.equals("PUT")) {
      return;
    }
    // POST and PUT always say their length (Content-Length: 0 for none): some registries answer 411 otherwise.
    long length = body == null ? 0 : body.length();
    c.setDoOutput(true);
    if (length >= 0) {
      c.setFixedLengthStreamingMode(length);
    } else {
      c.setChunkedStreamingMode(CHUNK);
    }
    try (OutputStream out = c.getOutputStream()) {
      if (body != null) {
        try (InputStream in = body.open()) {
          in.transferTo(out);
        }
      }
    }
  }

  /** The response headers by name, each name's values in the order received. */
  private static Map<String, List<String>> headers(HttpURLConnection c) {
    Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; ; i++) { // 0 is the status line
      String name = c.getHeaderFieldKey(i);
      String value = c.getHeaderField(i);
      if (name == null && value == null) {
        return out;
      }
      if (name != null && value != null) {
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }
  }
}
