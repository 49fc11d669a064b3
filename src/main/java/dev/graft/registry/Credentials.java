package dev.graft.registry;

import java.util.Objects;

/**
 * A user name and a password (or token) for one registry. {@link #toString} never shows the
 * password: these values travel through error messages and logs.
 */
public record Credentials(String username, String password) {
  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty()) {
      throw new IllegalArgumentException("empty user name in registry credentials");
    }
  }

  /**
   * Parses {@code USER:PASSWORD} as given to {@code --creds}; the password may contain ':'. The
   * message on error names the expected form only, never the text given (it may be a secret).
   */
  public static Credentials parse(String userColonPassword) {
    int colon = userColonPassword == null ? -1 : userColonPassword.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("credentials must be given as USER:PASSWORD");
    }
    return new Credentials(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=<redacted>]";
  }
}
