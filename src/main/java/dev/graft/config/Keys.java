package dev.graft.config;

import java.util.List;
import java.util.Optional;

/**
 * Every key graft.yaml and recipe files accept, in one place: the loader checks against these,
 * and a test checks that graft.schema.json lists exactly the same keys.
 */
final class Keys {
  static final List<String> TOP = List.of(
      "base", "builder", "platforms", "layers", "config", "to", "tags", "index", "format", "compression",
      "compressionLevel", "dockerfile");
  /** An app's graft.yaml: how graft reads the app's Dockerfile (graft build --addon). */
  static final List<String> DOCKERFILE = List.of("file", "args", "ignore");
  static final List<String> CONFIG = List.of(
      "env", "workdir", "entrypoint", "cmd", "user", "ports", "labels", "volumes", "stopSignal", "healthcheck");
  static final List<String> HEALTHCHECK = List.of("test", "interval", "timeout", "startPeriod", "retries");
  static final List<String> LAYER = List.of(
      "name", "recipe", "with", "from", "paths", "exclude", "to", "closure", "conflicts", "specialFiles", "compression",
      "lockfile", "omit", "libc", "scripts", "prune");
  /** The keys a layer that uses a recipe may have; the recipe supplies the rest. */
  static final List<String> RECIPE_USE = List.of("name", "recipe", "with", "compression", "conflicts");
  static final List<String> PATH_ITEM = List.of("path", "first", "optional");

  static final List<String> RECIPE = List.of("name", "description", "params", "layers");
  static final List<String> RECIPE_PARAM = List.of("type", "default", "description");
  static final List<String> RECIPE_LAYER = List.of(
      "name", "from", "paths", "exclude", "to", "closure", "conflicts", "specialFiles", "compression", "when");
  static final List<String> RECIPE_PATH_ITEM = List.of("path", "first", "optional", "when");

  private Keys() {}

  /** The closest allowed key, if the unknown one looks like a typo of it. */
  static Optional<String> suggest(String unknown, Iterable<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : allowed) {
      int d = distance(unknown.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int limit = Math.max(1, Math.min(3, unknown.length() / 3));
    return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** Whether {@code m} has an unknown key that is a typo of {@code key} (and so was already reported as such). */
  static boolean hasTypoOf(YamlNode.MapNode m, String key, List<String> allowed) {
    return m.entries().keySet().stream()
        .anyMatch(k -> !allowed.contains(k) && suggest(k, allowed).filter(key::equals).isPresent());
  }

  /** Damerau-style edit distance (a swap of neighbours counts once: "entrypiont"). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
