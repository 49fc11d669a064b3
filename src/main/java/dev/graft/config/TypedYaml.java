package dev.graft.config;

import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.config.YamlNode.ScalarType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to {@link YamlNode}s that records a problem (with position and key) instead of
 * throwing, so a whole file is checked in one pass. Each accessor returns null when the value is
 * unusable; callers skip what depends on it.
 */
final class TypedYaml {
  final Problems problems;

  TypedYaml(Problems problems) {
    this.problems = problems;
  }

  void problem(YamlNode at, String key, String message) {
    problems.add(at.pos(), key, message);
  }

  void problem(SourcePos at, String key, String message) {
    problems.add(at, key, message);
  }

  /** Reports keys not in {@code allowed}; {@code where} is e.g. "config" or "" for the top level. */
  void checkKeys(MapNode m, String where, List<String> allowed) {
    m.entries().forEach((k, e) -> {
      if (!allowed.contains(k)) {
        String in = where.isEmpty() ? "" : " in " + where;
        String hint = Keys.suggest(k, allowed).map(s -> " (did you mean '" + s + "'?)")
            .orElse(" (allowed: " + String.join(", ", allowed) + ")");
        problems.add(e.keyPos(), join(where, k), "unknown key '" + k + "'" + in + hint);
      }
    });
  }

  static String join(String where, String key) {
    return where.isEmpty() ? key : where + "." + key;
  }

  MapNode map(YamlNode n, String key, String expected) {
    if (n instanceof MapNode m) {
      return m;
    }
    wrongType(n, key, expected);
    return null;
  }

  ListNode list(YamlNode n, String key, String expected) {
    if (n instanceof ListNode l) {
      return l;
    }
    wrongType(n, key, expected);
    return null;
  }

  /** A YAML string (a number or boolean here is almost always a mistake, e.g. an unquoted path). */
  String string(YamlNode n, String key, String expected) {
    if (n instanceof Scalar s && s.type() == ScalarType.STRING) {
      if (s.text().isEmpty()) {
        problem(n, key, "'" + key + "' must not be empty");
        return null;
      }
      return s.text();
    }
    wrongType(n, key, expected);
    return null;
  }

  /** Any scalar as the text written: env values, labels and tags may be unquoted numbers. */
  String text(YamlNode n, String key, String expected) {
    if (n instanceof Scalar s && s.type() != ScalarType.NULL) {
      return s.text();
    }
    wrongType(n, key, expected);
    return null;
  }

  Boolean bool(YamlNode n, String key) {
    if (n instanceof Scalar s && s.type() == ScalarType.BOOLEAN) {
      return Boolean.parseBoolean(s.text()) || s.text().equalsIgnoreCase("yes") || s.text().equalsIgnoreCase("on")
          || s.text().equalsIgnoreCase("y");
    }
    wrongType(n, key, "true or false");
    return null;
  }

  Integer integer(YamlNode n, String key, String expected, int min, int max) {
    if (n instanceof Scalar s && s.type() == ScalarType.INT) {
      try {
        int v = Integer.parseInt(s.text());
        if (v >= min && v <= max) {
          return v;
        }
      } catch (NumberFormatException e) {
        // out of int range: reported below
      }
      problem(n, key, "'" + key + "' must be " + expected + ", got " + s.text());
      return null;
    }
    wrongType(n, key, expected);
    return null;
  }

  /**
   * A list of scalars; a single scalar is refused (not wrapped) because the user may have meant
   * something else, e.g. a shell-form entrypoint. With {@code lenient}, numbers count as text.
   */
  List<String> strings(YamlNode n, String key, String expected, boolean lenient) {
    ListNode l = list(n, key, expected);
    if (l == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String itemKey = key + "[" + i + "]";
      String v = lenient ? text(item, itemKey, "a string") : string(item, itemKey, "a string");
      if (v == null) {
        ok = false;
      } else {
        out.add(v);
      }
    }
    return ok ? out : null;
  }

  /** A mapping of names to scalar values (env, labels); keys in file order. */
  Map<String, String> textMap(YamlNode n, String key, String expected) {
    MapNode m = map(n, key, expected);
    if (m == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    boolean ok = true;
    for (var e : m.entries().entrySet()) {
      String k = e.getKey();
      if (k.isEmpty()) {
        problem(e.getValue().keyPos(), key, "empty name in '" + key + "'");
        ok = false;
        continue;
      }
      String v = text(e.getValue().value(), key + "." + k, "a string");
      if (v == null) {
        ok = false;
      } else {
        out.put(k, v);
      }
    }
    return ok ? out : null;
  }

  void wrongType(YamlNode n, String key, String expected) {
    problem(n, key, "'" + key + "' must be " + expected + ", got " + describe(n));
  }

  private static String describe(YamlNode n) {
    if (n instanceof Scalar s && s.type() == ScalarType.NULL) {
      return "nothing";
    }
    return n.kind();
  }
}
