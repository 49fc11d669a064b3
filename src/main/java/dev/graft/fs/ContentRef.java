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

  // equals/hashCode written out: a record's generated ones are bootstrapped through invokedynamic
  // (java.lang.runtime.ObjectMethods), which spins method-handle classes on first use in every run
  // (class-data sharing does not keep them): a measurable part of a short rebuild's start.
  @Override
  public boolean equals(Object o) {
    return o instanceof ContentRef r && r.layer == layer && r.ordinal == ordinal;
  }

  @Override
  public int hashCode() {
    return 31 * layer + Long.hashCode(ordinal);
  }
}
