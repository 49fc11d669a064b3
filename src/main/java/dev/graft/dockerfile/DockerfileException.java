package dev.graft.dockerfile;

import java.util.Objects;

/**
 * A Dockerfile graft cannot read or cannot honour, at a line: the message says what is wrong and
 * what to write instead. {@code toString}: {@code app/Dockerfile:12: RUN …}.
 */
public final class DockerfileException extends RuntimeException {
  private final String file;
  private final int line;
  private final String problem;

  public DockerfileException(String file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = Objects.requireNonNull(file, "file");
    this.line = line;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The Dockerfile as the user named it. */
  public String file() {
    return file;
  }

  /** The 1-based line of the instruction at fault (its first line), or 0 for the whole file. */
  public int line() {
    return line;
  }

  /** The message without the position. */
  public String problem() {
    return problem;
  }
}
