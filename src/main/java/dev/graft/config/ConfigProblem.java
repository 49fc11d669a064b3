package dev.graft.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration. {@code key} is the dotted path of the offending key
 * (e.g. {@code config.entrypiont}, {@code layers[2].to}); line and column are 1-based, or 0 when
 * the value came from a flag or the environment (then {@code file} names the flag).
 */
public record ConfigProblem(String file, int line, int column, String key, String message) {
  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  static ConfigProblem at(SourcePos pos, String key, String message) {
    return new ConfigProblem(pos.file(), pos.line(), pos.column(), key, message);
  }

  public SourcePos pos() {
    return new SourcePos(file, line, column);
  }

  /** {@code graft.yaml:12:5: unknown key 'entrypiont' in config (did you mean 'entrypoint'?)}. */
  @Override
  public String toString() {
    return pos() + ": " + message;
  }
}
