package dev.graft.keyless;

import java.util.Objects;

/**
 * An OIDC identity token for Fulcio and where it came from. The token is a credential: it is
 * handed to sigstore-java and to nothing else, and {@link #toString} never shows it.
 */
public final class IdentityToken {
  private final String token;
  private final String source;

  IdentityToken(String token, String source) {
    this.token = Objects.requireNonNull(token, "token");
    this.source = Objects.requireNonNull(source, "source");
  }

  String token() {
    return token;
  }

  /** Where the token came from, e.g. "SIGSTORE_ID_TOKEN" (safe to print). */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "identity token from " + source;
  }
}
