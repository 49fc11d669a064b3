package dev.graft.registry;

import dev.graft.oci.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Gets bearer tokens from the service a registry's challenge names (Docker Hub, GHCR, Harbor…):
 * GET realm?service=…&scope=… with Basic credentials (or none, for anonymous pulls); with an
 * identity token from {@code docker login} (user name {@code <token>}), the OAuth2 refresh-token
 * POST that docker uses instead. Neither the credentials nor the token appear in any message.
 */
final class TokenService {
  /** The user name docker config and credential helpers give for an identity (refresh) token. */
  static final String IDENTITY_TOKEN_USER = "<token>";

  private final RegistryHost host;
  private final RepositoryErrors errors;
  private final Transport registryClient;
  private final Transport verifiedClient;

  TokenService(RegistryHost host, RepositoryErrors errors, Transport registryClient, Transport verifiedClient) {
    this.host = host;
    this.errors = errors;
    this.registryClient = registryClient;
    this.verifiedClient = verifiedClient;
  }

  String fetch(Call call, Challenge c, List<String> scopes, Optional<CredentialResolver.Found> creds)
      throws IOException {
    String realm = c.param("realm");
    if (realm == null || realm.isBlank()) {
      throw errors.protocol(call, "asked for a bearer token without naming a token service (realm)");
    }
    URI base = URI.create(realm);
    boolean plain = "http".equals(base.getScheme());
    if (!plain && !"https".equals(base.getScheme()) || plain && !host.plainHttpAllowed()) {
      throw errors.protocol(call, "named a token service that is not HTTPS (" + realm + ")");
    }
    boolean identityToken = creds.isPresent() && creds.get().credentials().username().equals(IDENTITY_TOKEN_USER);
    Request request = identityToken
        ? refreshTokenRequest(base, c.param("service"), scopes, creds.get().credentials().password())
        : getRequest(realm, c.param("service"), scopes, creds);
    boolean registryItself = base.getRawAuthority() != null && base.getRawAuthority().equals(host.apiAuthority());
    Response r;
    try {
      r = (registryItself ? registryClient : verifiedClient).send(request);
    } catch (IOException e) {
      throw errors.network(call, e);
    }
    byte[] body = RegistryHttp.readLimited(r.body(), Json.MAX_DOCUMENT_BYTES);
    if (r.status() != 200) {
      throw errors.status(call, r.status(), ErrorBody.parse(body), creds);
    }
    try {
      var node = Json.MAPPER.readTree(body);
      for (String field : List.of("token", "access_token")) {
        var v = node == null ? null : node.get(field);
        if (v != null && v.isTextual() && !v.asText().isEmpty()) {
          return v.asText();
        }
      }
    } catch (IOException e) {
      // fall through: reported below without echoing the body (it may hold a secret)
    }
    throw errors.protocol(call, "token service " + base.getHost() + " answered without a token");
  }

  private static Request getRequest(String realm, String service, List<String> scopes,
      Optional<CredentialResolver.Found> creds) {
    StringBuilder q = new StringBuilder();
    if (service != null) {
      q.append("service=").append(enc(service));
    }
    for (String scope : scopes) {
      q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(scope));
    }
    java.util.Map<String, String> headers = new java.util.HashMap<>(
        java.util.Map.of("User-Agent", RegistryHttp.USER_AGENT, "Accept", "application/json"));
    creds.ifPresent(f -> headers.put("Authorization", RegistryHttp.basic(f.credentials())));
    return new Request("GET", URI.create(realm + (realm.contains("?") ? "&" : "?") + q), headers, null,
        Duration.ofSeconds(60));
  }

  private static Request refreshTokenRequest(URI realm, String service, List<String> scopes, String refreshToken) {
    String form = "grant_type=refresh_token&client_id=graft&refresh_token=" + enc(refreshToken)
        + (service != null ? "&service=" + enc(service) : "") + "&scope=" + enc(String.join(" ", scopes));
    return new Request("POST", realm, java.util.Map.of("Content-Type", "application/x-www-form-urlencoded",
        "User-Agent", RegistryHttp.USER_AGENT, "Accept", "application/json"),
        Request.Body.of(form.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(60));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
