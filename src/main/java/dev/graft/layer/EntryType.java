package dev.graft.layer;

/** The kind of a tar entry or filesystem node. */
public enum EntryType {
  FILE,
  DIR,
  SYMLINK,
  HARDLINK,
  CHAR,
  BLOCK,
  FIFO;

  /** Files and hardlinks (which share a file's inode): the types with bytes. */
  public boolean hasContent() {
    return this == FILE || this == HARDLINK;
  }

  /** Symlinks and hardlinks: the types with a target. */
  public boolean isLink() {
    return this == SYMLINK || this == HARDLINK;
  }

  /** The letter {@code ls -l} shows for this kind (hardlinks are files). */
  public char lsLetter() {
    return switch (this) {
      case FILE, HARDLINK -> '-';
      case DIR -> 'd';
      case SYMLINK -> 'l';
      case CHAR -> 'c';
      case BLOCK -> 'b';
      case FIFO -> 'p';
    };
  }
}
