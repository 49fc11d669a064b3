package dev.graft.fs;

import java.util.Objects;

/** A node chosen from a source image and the path it will have in the new layer. */
public record Selected(Node source, String destination) {
  public Selected {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
  }
}
