package dev.graft.npm;

/**
 * A problem with a lockfile, a package or the registry that the user must fix; the message names
 * the file or package and says how.
 */
public class NpmException extends RuntimeException {
  public NpmException(String message) {
    super(message);
  }

  public NpmException(String message, Throwable cause) {
    super(message, cause);
  }
}
