package dev.graft.oci;

import java.io.IOException;

/** Content that does not match the digest or size its descriptor promises. */
public class DigestMismatchException extends IOException {
  public DigestMismatchException(String message) {
    super(message);
  }
}
