package dev.graft.config;

import dev.graft.layer.Globs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An app's {@code .dockerignore} (or {@code <Dockerfile>.dockerignore}, which wins, as in
 * BuildKit): context-relative globs of what COPY never sees. Blank lines and {@code #} comments are
 * skipped, a leading {@code /} or {@code ./} and a trailing {@code /} dropped. Exceptions
 * ({@code !pattern}) are not supported yet and are refused at their line.
 */
record DockerIgnore(List<String> patterns) {
  static final DockerIgnore NONE = new DockerIgnore(List.of());

  DockerIgnore {
    patterns = List.copyOf(patterns);
  }

  /** The ignore file of {@code dockerfile} in {@code dir}, problems recorded in {@code r}. */
  static DockerIgnore read(Path dir, String dockerfile, String display, TypedYaml r) {
    Path specific = dir.resolve(dockerfile + ".dockerignore");
    Path file = Files.isRegularFile(specific) ? specific : dir.resolve(".dockerignore");
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> out = new ArrayList<>();
    String name = display + "/" + file.getFileName();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("!")) {
        r.problem(SourcePos.line(name, i + 1), "dockerignore", "exceptions ('" + l + "') are not supported by graft "
            + "yet: list what to leave out instead");
        continue;
      }
      while (l.startsWith("/") || l.startsWith("./")) {
        l = l.substring(l.startsWith("/") ? 1 : 2);
      }
      while (l.endsWith("/") && l.length() > 1) {
        l = l.substring(0, l.length() - 1);
      }
      if (!l.isEmpty() && !l.equals(".")) {
        out.add(l);
      }
    }
    return new DockerIgnore(out);
  }

  /** Whether the context-relative path (or a directory above it) is left out. */
  boolean ignores(String relative) {
    for (String p : patterns) {
      Pattern re = Globs.compile(p);
      for (String a = relative; !a.isEmpty(); a = a.contains("/") ? a.substring(0, a.lastIndexOf('/')) : "") {
        if (re.matcher(a).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The patterns that apply inside the directory {@code source} (context-relative, "" for the
   * context itself), made relative to it: {@code backend/node_modules} becomes {@code node_modules}
   * for source {@code backend}; {@code **}{@code /x} applies everywhere.
   */
  List<String> within(String source) {
    if (source.isEmpty()) {
      return patterns;
    }
    String[] src = source.split("/");
    List<String> out = new ArrayList<>();
    for (String p : patterns) {
      if (p.startsWith("**/") || p.equals("**")) {
        out.add(p);
        continue;
      }
      String[] parts = p.split("/");
      if (parts.length <= src.length) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < src.length && matches; i++) {
        matches = parts[i].equals("**") || Globs.compile(parts[i]).matcher(src[i]).matches();
      }
      if (matches) {
        out.add(String.join("/", java.util.Arrays.copyOfRange(parts, src.length, parts.length)));
      }
    }
    return out;
  }
}
