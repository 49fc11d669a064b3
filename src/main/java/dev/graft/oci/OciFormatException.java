package dev.graft.oci;

/** A manifest, index, config or layout that is malformed or of an unsupported kind. */
public class OciFormatException extends RuntimeException {
  public OciFormatException(String message) {
    super(message);
  }

  public OciFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
