package dev.graft.layer;

import java.io.IOException;

/** A layer that is malformed, truncated or hostile; the message names the layer and the entry. */
public class LayerFormatException extends IOException {
  public LayerFormatException(String message) {
    super(message);
  }

  public LayerFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
