package dev.graft.verify;

/**
 * A verification that cannot start because of what was asked (a multi-platform image without a
 * platform, a look-in image without the platform, an architecture graft cannot judge); the
 * message says what to change.
 */
public final class VerifyInputException extends RuntimeException {
  public VerifyInputException(String message) {
    super(message);
  }
}
