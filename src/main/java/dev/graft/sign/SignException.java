package dev.graft.sign;

import java.io.IOException;

/**
 * A key that cannot be read or used, or a signature that does not hold. The message names the file
 * or image and the fix; it never holds key bytes or a password.
 */
public class SignException extends IOException {
  public SignException(String message) {
    super(message);
  }

  public SignException(String message, Throwable cause) {
    super(message, cause);
  }
}
