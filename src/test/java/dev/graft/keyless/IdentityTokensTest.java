package dev.graft.keyless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.sign.SignException;
import dev.graft.testing.GithubTokenService;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a keyless identity comes from: SIGSTORE_ID_TOKEN, else GitHub Actions' token service,
 * here a local server speaking GitHub's documented protocol (GitHub cannot be reached from here).
 */
class IdentityTokensTest {
  private static final String BEARER = "ghs-request-Token-0123456789abcdef";

  @Test
  void asksGithubsTokenServiceWithTheBearerForAudienceSigstore() throws Exception {
    try (GithubTokenService github = GithubTokenService.start(BEARER)) {
      IdentityTokens.Source source = IdentityTokens.source(Map.of(IdentityTokens.REQUEST_URL, github.requestUrl(),
          IdentityTokens.REQUEST_TOKEN, BEARER));
      IdentityToken token = source.fetch();
      assertThat(token.token()).isEqualTo(github.idToken());
      assertThat(token.toString()).doesNotContain(github.idToken()).contains("GitHub Actions");
      assertThat(github.requests()).hasSize(1);
      GithubTokenService.Request r = github.requests().get(0);
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.pathAndQuery()).isEqualTo("/idtoken?api-version=2.0&audience=sigstore");
      assertThat(r.authorization()).isEqualToIgnoringCase("bearer " + BEARER);
      assertThat(r.accept()).contains("application/json");
    }
  }

  @Test
  void aRefusedBearerIsReportedWithoutEchoingIt() throws Exception {
    try (GithubTokenService github = GithubTokenService.start(BEARER)) {
      IdentityTokens.Source source = IdentityTokens.source(Map.of(IdentityTokens.REQUEST_URL, github.requestUrl(),
          IdentityTokens.REQUEST_TOKEN, "wrong-" + BEARER));
      assertThatThrownBy(source::fetch).isInstanceOf(SignException.class)
          .hasMessageContaining("cannot get an identity token from GitHub Actions' token service")
          .hasMessageContaining("401")
          .hasMessageContaining("permissions: id-token: write")
          .hasMessageNotContaining(BEARER)
          .hasNoCause();
    }
  }

  @Test
  void sigstoreIdTokenComesFirstAndMustBeAJwt() throws Exception {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUifQ.c2lnbmF0dXJl";
    IdentityTokens.Source source = IdentityTokens.source(Map.of(IdentityTokens.SIGSTORE_ID_TOKEN, jwt,
        IdentityTokens.REQUEST_URL, "http://127.0.0.1:9/never", IdentityTokens.REQUEST_TOKEN, BEARER));
    assertThat(source.toString()).isEqualTo("SIGSTORE_ID_TOKEN");
    assertThat(source.fetch().token()).isEqualTo(jwt);
    assertThatThrownBy(() -> IdentityTokens.source(Map.of(IdentityTokens.SIGSTORE_ID_TOKEN, "not-a-jwt")).fetch())
        .hasMessageContaining("does not hold a JWT").hasMessageNotContaining("not-a-jwt");
  }

  @Test
  void noTokenAnywhereIsRefusedNamingWhatToSet() {
    assertThatThrownBy(() -> IdentityTokens.source(Map.of("PATH", "/usr/bin")))
        .isInstanceOf(SignException.class)
        .hasMessageContaining("--keyless needs an OIDC identity token")
        .hasMessageContaining("permissions: id-token: write")
        .hasMessageContaining("SIGSTORE_ID_TOKEN")
        .hasMessageContaining("--sign-key");
    assertThatThrownBy(() -> IdentityTokens.source(Map.of(IdentityTokens.REQUEST_URL, "http://127.0.0.1:9/x")))
        .hasMessageContaining("ACTIONS_ID_TOKEN_REQUEST_URL is set but ACTIONS_ID_TOKEN_REQUEST_TOKEN is not");
    assertThatThrownBy(() -> IdentityTokens.source(Map.of(IdentityTokens.REQUEST_TOKEN, BEARER)))
        .hasMessageContaining("ACTIONS_ID_TOKEN_REQUEST_TOKEN is set but ACTIONS_ID_TOKEN_REQUEST_URL is not")
        .hasMessageNotContaining(BEARER);
    assertThatThrownBy(() -> IdentityTokens.source(Map.of(IdentityTokens.SIGSTORE_ID_TOKEN, "  ")))
        .hasMessageContaining("--keyless needs an OIDC identity token");
  }
}
