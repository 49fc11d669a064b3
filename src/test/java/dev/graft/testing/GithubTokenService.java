package dev.graft.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * A local server speaking GitHub Actions' documented OIDC token protocol: GET on the job's
 * {@code ACTIONS_ID_TOKEN_REQUEST_URL} (which carries {@code ?api-version=2.0}) plus
 * {@code &audience=AUD}, with {@code Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN},
 * answers {@code {"value":"<JWT>"}}; a wrong or missing bearer gets 401. The JWT's claims are
 * GitHub's shape; its signature is random (no one here can check it: Fulcio would).
 */
public final class GithubTokenService implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String pathAndQuery, String authorization, String accept) {}

  private final HttpServer server;
  private final String requestToken;
  private final String idToken;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  private GithubTokenService(String requestToken) throws IOException {
    this.requestToken = requestToken;
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    byte[] sig = new byte[64];
    new java.security.SecureRandom().nextBytes(sig);
    this.idToken = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"test\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(("{\"iss\":\"https://token.actions.githubusercontent.com\",\"aud\":\"sigstore\","
            + "\"sub\":\"repo:acme/app:ref:refs/heads/main\",\"repository\":\"acme/app\","
            + "\"job_workflow_ref\":\"acme/app/.github/workflows/release.yml@refs/heads/main\"}")
            .getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(sig);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), auth,
          exchange.getRequestHeaders().getFirst("Accept")));
      boolean ok = "GET".equals(exchange.getRequestMethod()) && auth != null
          && auth.equalsIgnoreCase("bearer " + this.requestToken) && auth.endsWith(this.requestToken)
          && exchange.getRequestURI().getPath().equals("/idtoken")
          && exchange.getRequestURI().getQuery() != null
          && exchange.getRequestURI().getQuery().contains("api-version=2.0");
      byte[] body = (ok ? "{\"count\":1,\"value\":\"" + idToken + "\"}"
          : "{\"message\":\"Bad credentials\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public static GithubTokenService start(String requestToken) throws IOException {
    return new GithubTokenService(requestToken);
  }

  /** The value for ACTIONS_ID_TOKEN_REQUEST_URL, as GitHub sets it (with the api-version query). */
  public String requestUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/idtoken?api-version=2.0";
  }

  /** The JWT the service hands out. */
  public String idToken() {
    return idToken;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
