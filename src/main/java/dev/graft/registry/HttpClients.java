package dev.graft.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

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
   * For plain-HTTP addresses only (callers choose it by the URI's scheme): it has no TLS context
   * at all, so a build that talks only HTTP to a local registry sets up no TLS.
   */
  static Source plain() {
    // Explicit (empty) parameters: otherwise the client asks its TLS context for defaults.
    return () -> shared("plain", () -> builder().sslContext(new NoTls()).sslParameters(new SSLParameters()).build());
  }

  /**
   * A TLS context for a client that never speaks TLS: even {@code SSLContext.getInstance("TLS")}
   * loads the JSSE and JCE providers (a sizeable part of a rebuild's start), so the plain client
   * gets this one, which refuses any use (an https address through it fails, it is never weakened).
   */
  private static final class NoTls extends SSLContext {
    NoTls() {
      super(new SSLContextSpi() {
        private UnsupportedOperationException refused() {
          return new UnsupportedOperationException("graft's plain-HTTP client does not speak TLS");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
          throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
          throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
          throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
          throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
          throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
          throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
          throw refused();
        }
      }, null, "none");
    }
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
