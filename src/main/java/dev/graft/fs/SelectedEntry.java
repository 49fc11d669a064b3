package dev.graft.fs;

import java.util.Objects;

/** A node chosen from a source image and the path it will have in the new layer. */
public record SelectedEntry(TreeEntry source, String destination) {
  public SelectedEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
  }
}
