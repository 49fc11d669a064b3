package dev.graft.fs;

/**
 * Where a regular file's bytes live: entry {@code ordinal} of layer {@code layer} (index into the
 * tree's layers). Contents are never held in memory; they are re-read by streaming that layer.
 */
public record ContentRef(int layer, long ordinal) {
  public ContentRef {
    if (layer < 0 || ordinal < 0) {
      throw new IllegalArgumentException("negative content reference " + layer + "/" + ordinal);
    }
  }
}
