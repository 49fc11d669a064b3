package dev.graft.config;

import java.util.Objects;

/**
 * Where a value came from: a file with a 1-based line and column, or a command-line flag or
 * environment variable (line 0), so every error can point at what the user must change.
 */
public record SourcePos(String file, int line, int column) {
  public SourcePos {
    Objects.requireNonNull(file, "file");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("negative position " + line + ":" + column);
    }
  }

  /** A line of a file read line by line (a Dockerfile): {@code app/Dockerfile:12}. */
  public static SourcePos line(String file, int line) {
    return new SourcePos(file, line, 0);
  }

  /** A value given outside any file, e.g. {@code --set config.workdir=/x} or {@code GRAFT_TO}. */
  public static SourcePos of(String origin) {
    return new SourcePos(origin, 0, 0);
  }

  /** Whether this points into a file (and so has a line). */
  public boolean inFile() {
    return line > 0;
  }

  @Override
  public String toString() {
    return line == 0 ? file : column == 0 ? file + ":" + line : file + ":" + line + ":" + column;
  }
}
