package dev.graft.registry;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A tiny HTTP server on loopback that answers as a broken or hostile registry would: the things
 * a real registry never does (unknown media types, lying digests, redirects to other hosts,
 * giant manifests, transient 503s). Everything a real registry can show is tested against one.
 */
final class ScriptedRegistry implements AutoCloseable {
  record Request(String method, String uri, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
  }

  record Reply(int status, Map<String, String> headers, byte[] body) {
    static Reply of(int status, String contentType, byte[] body) {
      return new Reply(status, contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
    }
  }

  private final HttpServer server;
  private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  private ScriptedRegistry(HttpServer server) {
    this.server = server;
  }

  static ScriptedRegistry start() throws IOException {
    return start(false);
  }

  /**
   * With {@code tls}, serves HTTPS with a throw-away self-signed key (reach it as an insecure
   * registry). Plain HTTP suits servers graft reaches by URL (redirect targets, token realms): for
   * a registry on loopback graft tries TLS first, and the JDK server stalls on a TLS hello.
   */
  static ScriptedRegistry start(boolean tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    HttpServer server;
    if (tls) {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(SelfSigned.context()));
      server = https;
    } else {
      server = HttpServer.create(address, 16);
    }
    ScriptedRegistry r = new ScriptedRegistry(server);
    r.on("/v2/", req -> Reply.of(200, "application/json", "{}".getBytes()));
    server.createContext("/", exchange -> {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      Request req = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          Map.copyOf(exchange.getRequestHeaders()), body);
      r.requests.add(req);
      Function<Request, Reply> route = r.routes.get(exchange.getRequestURI().getPath());
      Reply reply = route == null ? Reply.of(404, "application/json",
          "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no route\"}]}".getBytes()) : route.apply(req);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      boolean noBody = req.method().equals("HEAD") || reply.body().length == 0;
      exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
      exchange.close();
    });
    server.start();
    return r;
  }

  /** Answers requests for {@code path} (query ignored) with {@code route}. */
  ScriptedRegistry on(String path, Function<Request, Reply> route) {
    routes.put(path, route);
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT}. */
  String hostPort() {
    return "127.0.0.1:" + port();
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  List<Request> requestsTo(String path) {
    return requests().stream().filter(r -> r.uri().startsWith(path)).toList();
  }

  /** A self-signed key made once per test run with keytool (part of every JDK). */
  private static final class SelfSigned {
    private static javax.net.ssl.SSLContext context;

    static synchronized javax.net.ssl.SSLContext context() throws IOException {
      if (context == null) {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("graft-scripted-tls");
        java.nio.file.Path store = dir.resolve("server.p12");
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        dev.graft.testing.Tools.runOk(java.time.Duration.ofSeconds(60), keytool, "-genkeypair", "-keystore",
            store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keyalg", "EC", "-alias", "s",
            "-dname", "CN=localhost", "-validity", "2");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
          java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
          ks.load(in, "changeit".toCharArray());
          javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
          kmf.init(ks, "changeit".toCharArray());
          javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
          ctx.init(kmf.getKeyManagers(), null, null);
          context = ctx;
        } catch (java.security.GeneralSecurityException e) {
          throw new IOException(e);
        }
      }
      return context;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
