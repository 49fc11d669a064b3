package dev.graft.keyless;

import dev.graft.sign.SignException;
import dev.sigstore.oidc.client.GithubActionsOidcClient;
import dev.sigstore.oidc.client.OidcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a keyless signature's identity comes from, as cosign looks for it: {@code
 * SIGSTORE_ID_TOKEN} (a token given outright), else GitHub Actions' token service (a job with
 * {@code permissions: id-token: write} has {@code ACTIONS_ID_TOKEN_REQUEST_URL} and {@code
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN}; the token is asked for with audience "sigstore"). {@link
 * #source} only looks at the environment (no network), so a build can refuse before it starts;
 * {@link Source#fetch} asks for the token when the signatures are written, as late as possible,
 * because these tokens live minutes.
 */
public final class IdentityTokens {
  public static final String SIGSTORE_ID_TOKEN = "SIGSTORE_ID_TOKEN";
  public static final String REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
  public static final String REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

  private IdentityTokens() {}

  /** A place a token can be had from; {@link #toString} names it without any secret. */
  public sealed interface Source permits Given, GithubActions {
    IdentityToken fetch() throws SignException;

    /** The secrets this source holds or will hand out, for scrubbing messages. */
    List<String> secrets();
  }

  /** A token given outright in {@code SIGSTORE_ID_TOKEN}. */
  record Given(String token) implements Source {
    @Override
    public IdentityToken fetch() throws SignException {
      if (token.chars().filter(c -> c == '.').count() != 2) {
        throw new SignException(SIGSTORE_ID_TOKEN + " does not hold a JWT (three base64url parts joined by dots);"
            + " set it to an OIDC identity token whose audience is sigstore");
      }
      return new IdentityToken(token, SIGSTORE_ID_TOKEN);
    }

    @Override
    public List<String> secrets() {
      return List.of(token);
    }

    @Override
    public String toString() {
      return SIGSTORE_ID_TOKEN;
    }
  }

  /**
   * GitHub Actions' token service: GET {@code $ACTIONS_ID_TOKEN_REQUEST_URL&audience=sigstore}
   * with {@code Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN}; the answer's {@code value}
   * is the JWT (sigstore-java's GitHub Actions client speaks this protocol).
   */
  record GithubActions(String url, String requestToken) implements Source {
    @Override
    public IdentityToken fetch() throws SignException {
      List<String> fetched = new ArrayList<>(secrets());
      QuietLibraries.apply();
      try {
        String token = GithubActionsOidcClient.builder().build()
            .getIDToken(Map.of(REQUEST_URL, url, REQUEST_TOKEN, requestToken)).getIdToken();
        return new IdentityToken(token, "GitHub Actions (" + REQUEST_URL + ")");
      } catch (OidcException | RuntimeException e) {
        throw new SignException("cannot get an identity token from GitHub Actions' token service ("
            + REQUEST_URL + "): " + Scrub.message(e, fetched) + "; the job needs `permissions: id-token: write`");
      }
    }

    @Override
    public List<String> secrets() {
      return List.of(requestToken);
    }

    @Override
    public String toString() {
      return "GitHub Actions (" + REQUEST_URL + ")";
    }
  }

  /**
   * The source the environment offers, or an error saying what to set. Only names of variables
   * appear in messages, never their values.
   */
  public static Source source(Map<String, String> env) throws SignException {
    String given = env.get(SIGSTORE_ID_TOKEN);
    if (given != null && !given.isBlank()) {
      return new Given(given.strip());
    }
    String url = env.get(REQUEST_URL);
    String bearer = env.get(REQUEST_TOKEN);
    boolean hasUrl = url != null && !url.isBlank();
    boolean hasBearer = bearer != null && !bearer.isBlank();
    if (hasUrl && hasBearer) {
      return new GithubActions(url.strip(), bearer.strip());
    }
    if (hasUrl || hasBearer) {
      throw new SignException("--keyless: " + (hasUrl ? REQUEST_URL : REQUEST_TOKEN) + " is set but "
          + (hasUrl ? REQUEST_TOKEN : REQUEST_URL) + " is not; GitHub Actions sets both when the job has"
          + " `permissions: id-token: write`");
    }
    throw new SignException("--keyless needs an OIDC identity token and none is available: in GitHub Actions give"
        + " the job `permissions: id-token: write` (which sets " + REQUEST_URL + " and " + REQUEST_TOKEN
        + "); elsewhere set " + SIGSTORE_ID_TOKEN + " to a token whose audience is sigstore; or sign with a key"
        + " (--sign-key)");
  }
}
