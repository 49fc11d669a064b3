package dev.graft.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * graft.yaml as written: its YAML tree with the position of every key and value, and the
 * directory its relative paths are resolved against. The first of three steps: read
 * ({@link #read}), check into a {@link GraftSpec}, resolve into a {@link BuildPlan}.
 */
record GraftFile(String displayName, Path dir, YamlNode root) {
  GraftFile {
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(root, "root");
    if (!dir.isAbsolute()) {
      throw new IllegalArgumentException("graft.yaml's directory must be absolute: " + dir);
    }
  }

  /** Reads a file; errors call it by the path as given (what the user typed). */
  static GraftFile read(Path file) {
    YamlNode root = YamlReader.readFile(file, file.toString());
    return new GraftFile(file.toString(), file.toAbsolutePath().normalize().getParent(), root);
  }

  /** graft.yaml text; {@code dir} stands in for the file's directory. */
  static GraftFile parse(String displayName, String yaml, Path dir) {
    return new GraftFile(displayName, dir.toAbsolutePath().normalize(), YamlReader.read(displayName, yaml));
  }
}
