package dev.graft.sign;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where an encrypted key's password comes from: {@code COSIGN_PASSWORD} (cosign's own variable, so
 * a pipeline set up for cosign works unchanged), else {@code GRAFT_SIGN_PASSWORD}. The value is
 * held as bytes and never printed; {@link #toString} names only its source.
 */
public final class KeyPassword {
  public static final String COSIGN_VARIABLE = "COSIGN_PASSWORD";
  public static final String GRAFT_VARIABLE = "GRAFT_SIGN_PASSWORD";

  private final byte[] bytes;
  private final String source;

  private KeyPassword(byte[] bytes, String source) {
    this.bytes = bytes;
    this.source = source;
  }

  /** The password from the environment, if either variable is set (an empty value is a password too). */
  public static Optional<KeyPassword> fromEnvironment(Map<String, String> env) {
    for (String name : new String[] {COSIGN_VARIABLE, GRAFT_VARIABLE}) {
      String value = env.get(name);
      if (value != null) {
        return Optional.of(new KeyPassword(value.getBytes(StandardCharsets.UTF_8), name));
      }
    }
    return Optional.empty();
  }

  /** A password given directly (tests, a prompt); {@code source} says where it came from. */
  public static KeyPassword of(char[] password, String source) {
    return new KeyPassword(new String(password).getBytes(StandardCharsets.UTF_8), source);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** Where the password came from, e.g. "COSIGN_PASSWORD". */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "password from " + source;
  }
}
