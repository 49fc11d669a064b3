package dev.graft.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The token service of Docker Hub's and GHCR's auth scheme, for a real docker-registry configured
 * with {@code auth: token}: it checks Basic credentials and issues RS256 JWTs (certificate in
 * {@code x5c}) granting the requested repository scopes. The registry verifies every token
 * itself against {@link #certificate()}, so graft's bearer flow is tested against real code.
 */
public final class TokenServer implements AutoCloseable {
  public static final String SERVICE = "graft-test-registry";
  public static final String ISSUER = "graft-test-issuer";

  private final HttpServer server;
  private final Path certificate;
  private final PrivateKey key;
  private final String x5c;
  private final String username;
  private final String password;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> issued = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TokenServer(Path dir, String username, String password) throws IOException {
    this.username = username;
    this.password = password;
    Path keyPem = dir.resolve("token-key.pem");
    certificate = dir.resolve("token-cert.pem");
    Tools.runOk(Duration.ofSeconds(60), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=" + ISSUER, "-keyout", keyPem.toString(), "-out", certificate.toString());
    try {
      String pem = Files.readString(keyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      try (var in = Files.newInputStream(certificate)) {
        x5c = Base64.getEncoder().encodeToString(
            CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the token signing key: " + e, e);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/token", this::issue);
    server.start();
  }

  static TokenServer start(Path dir, String username, String password) throws IOException {
    return new TokenServer(dir, username, password);
  }

  /** The realm URL the registry sends clients to. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The certificate whose key signs tokens: the registry's rootcertbundle. */
  public Path certificate() {
    return certificate;
  }

  /** Every token issued so far (tests check that none leaks into output). */
  public List<String> issuedTokens() {
    return List.copyOf(issued);
  }

  /** The query strings of token requests so far (service and scopes), in order. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void issue(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
    requests.add(URLDecoder.decode(query, StandardCharsets.UTF_8));
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    boolean anonymous = auth == null;
    if (!anonymous && !auth.equals(expected)) {
      reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
      return;
    }
    StringBuilder access = new StringBuilder();
    for (String part : query.split("&")) {
      if (!part.startsWith("scope=") || anonymous) {
        continue; // anonymous users get a token that grants nothing, as on a private registry
      }
      String[] scope = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8).split(":");
      if (scope.length != 3) {
        continue;
      }
      StringBuilder actions = new StringBuilder();
      for (String a : scope[2].split(",")) {
        actions.append(actions.length() == 0 ? "" : ",").append('"').append(a).append('"');
      }
      access.append(access.length() == 0 ? "" : ",").append("{\"type\":\"").append(scope[0])
          .append("\",\"name\":\"").append(scope[1]).append("\",\"actions\":[").append(actions).append("]}");
    }
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + x5c + "\"]}";
    String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + (anonymous ? "" : username) + "\",\"aud\":\""
        + SERVICE + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 30) + ",\"iat\":" + now + ",\"jti\":\""
        + UUID.randomUUID() + "\",\"access\":[" + access + "]}";
    String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + b64(s.sign());
      issued.add(jwt);
      reply(exchange, 200, "{\"token\":\"" + jwt + "\",\"expires_in\":300}");
    } catch (java.security.GeneralSecurityException e) {
      reply(exchange, 500, "{}");
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
