package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How graft reads an app's Dockerfile, from the {@code dockerfile} key of the app's graft.yaml:
 * {@code file} (default {@code Dockerfile}, relative to the app directory), {@code args} (build
 * arguments, as {@code --build-arg} gives them; flags win) and {@code ignore} (the instructions
 * graft.yaml takes over, e.g. {@code "RUN apk add *"}). {@code ignorePos} points at the list.
 */
record DockerfileOptions(String file, Map<String, String> args, List<String> ignore, SourcePos ignorePos) {
  static final DockerfileOptions DEFAULT = new DockerfileOptions("Dockerfile", Map.of(), List.of(), SourcePos.of(""));

  DockerfileOptions {
    Objects.requireNonNull(file, "file");
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    ignore = List.copyOf(ignore);
    Objects.requireNonNull(ignorePos, "ignorePos");
  }

  /** The options under {@code dockerfile:}, or the defaults; problems recorded in {@code r}. */
  static DockerfileOptions read(TypedYaml r, YamlNode n) {
    if (n == null) {
      return DEFAULT;
    }
    MapNode m = r.map(n, "dockerfile", "a mapping (file, args, ignore)");
    if (m == null) {
      return DEFAULT;
    }
    r.checkKeys(m, "dockerfile", Keys.DOCKERFILE);
    String file = m.get("file") == null ? "Dockerfile" : r.string(m.get("file"), "dockerfile.file", "a file name");
    Map<String, String> args = new LinkedHashMap<>();
    if (m.get("args") != null) {
      MapNode a = r.map(m.get("args"), "dockerfile.args", "a mapping of build argument names to values");
      if (a != null) {
        for (var e : a.entries().entrySet()) {
          if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            r.problem(e.getValue().keyPos(), "dockerfile.args." + e.getKey(), "'" + e.getKey() + "' is not a build "
                + "argument name (letters, digits, '_')");
            continue;
          }
          String v = r.text(e.getValue().value(), "dockerfile.args." + e.getKey(), "a value");
          if (v != null) {
            args.put(e.getKey(), v);
          }
        }
      }
    }
    List<String> ignore = m.get("ignore") == null ? List.of()
        : r.strings(m.get("ignore"), "dockerfile.ignore", "a list of instructions, e.g. [\"RUN apk add *\"]", false);
    if (file != null && (file.isBlank() || file.startsWith("/") || file.contains(".."))) {
      r.problem(m.get("file"), "dockerfile.file", "'dockerfile.file' names a file in the app directory, got '" + file
          + "'");
    }
    return new DockerfileOptions(file == null ? "Dockerfile" : file, args, ignore == null ? List.of() : ignore,
        m.get("ignore") == null ? m.pos() : m.get("ignore").pos());
  }
}
