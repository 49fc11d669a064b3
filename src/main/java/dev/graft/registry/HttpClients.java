package dev.graft.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's HTTP clients, made on first use and shared by every registry and repository: a
 * client costs its own selector thread and connection pool, and a verifying one loads the JDK's CA
 * store (a few hundred milliseconds on a small runner). A build that only talks plain HTTP to a
 * local registry never loads the CA store at all.
 */
final class HttpClients {
  private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private HttpClients() {}

  /** Supplies a client when first needed; set-up failures (an unreadable CA file) surface there. */
  @FunctionalInterface
  interface Source {
    HttpClient get() throws IOException;
  }

  /** Verifies certificates against the JDK's CAs and, when given, those in {@code extraCaPem}. */
  static Source verified(Path extraCaPem) {
    return () -> shared("verified " + extraCaPem, () -> client(Tls.verified(extraCaPem)));
  }

  /** Accepts any certificate: only for registries the user named insecure. */
  static Source unverified() {
    return () -> shared("unverified", () -> client(Tls.unverified()));
  }

  /**
   * For plain-HTTP addresses only (callers choose it by the URI's scheme): its TLS context is
   * never initialised, so a build that talks only HTTP to a local registry sets up no TLS at all.
   */
  static Source plain() {
    return () -> shared("plain", () -> {
      try {
        // Explicit (empty) parameters: otherwise the client asks the context for its defaults,
        // which needs an initialised context. Any https use would fail, and there is none.
        return builder().sslContext(javax.net.ssl.SSLContext.getInstance("TLS"))
            .sslParameters(new javax.net.ssl.SSLParameters()).build();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IOException("no TLS in this JVM: " + e.getMessage(), e);
      }
    });
  }

  private interface Maker {
    HttpClient make() throws IOException;
  }

  private static HttpClient shared(String key, Maker maker) throws IOException {
    try {
      return CLIENTS.computeIfAbsent(key, k -> {
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

  private static HttpClient client(javax.net.ssl.SSLContext ssl) {
    return builder().sslContext(ssl).build();
  }

  private static HttpClient.Builder builder() {
    // HTTP/1.1: concurrent blob uploads get their own connections instead of sharing one
    // HTTP/2 connection's flow-control window.
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(30));
  }
}
