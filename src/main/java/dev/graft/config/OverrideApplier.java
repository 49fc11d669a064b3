package dev.graft.config;

import dev.graft.config.YamlNode.Entry;
import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.config.YamlNode.ScalarType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link Overrides} to graft.yaml's tree before it is checked, so an overridden value is
 * validated exactly like one in the file, and its errors name the flag instead of a line.
 */
final class OverrideApplier {
  private final TypedYaml r;

  OverrideApplier(TypedYaml r) {
    this.r = r;
  }

  MapNode apply(MapNode root, Overrides o) {
    MapNode m = root;
    if (!o.to().isEmpty()) {
      m = m.with("to", pos(o.to().get(0)), list(o.to()));
    }
    if (!o.tags().isEmpty()) {
      m = m.with("tags", pos(o.tags().get(0)), list(o.tags()));
    }
    if (!o.platforms().isEmpty()) {
      m = m.with("platforms", pos(o.platforms().get(0)), list(o.platforms()));
    }
    if (o.base() != null) {
      m = m.with("base", pos(o.base()), scalar(o.base()));
    }
    if (o.index() != null) {
      m = m.with("index", pos(o.index()), scalar(o.index()));
    }
    for (Overrides.Setting s : o.sets()) {
      m = set(m, s);
    }
    return m;
  }

  private static SourcePos pos(Overrides.Setting s) {
    return SourcePos.of(s.origin());
  }

  private static Scalar scalar(Overrides.Setting s) {
    return new Scalar(pos(s), ScalarType.STRING, s.value());
  }

  private static ListNode list(List<Overrides.Setting> settings) {
    return new ListNode(pos(settings.get(0)), settings.stream().map(s -> (YamlNode) scalar(s)).toList());
  }

  /** {@code --set a.b.c=value}: the value is YAML ({@code [8099, 8100]}, {@code true}), except under env and labels. */
  private MapNode set(MapNode root, Overrides.Setting s) {
    SourcePos at = pos(s);
    int eq = s.value().indexOf('=');
    if (eq <= 0) {
      r.problem(at, "", "--set needs key=value, e.g. --set config.workdir=/app");
      return root;
    }
    List<String> path = segments(s.value().substring(0, eq));
    if (path.stream().anyMatch(String::isEmpty)) {
      r.problem(at, "", "--set key '" + s.value().substring(0, eq) + "' has an empty part");
      return root;
    }
    String text = s.value().substring(eq + 1);
    boolean freeText = path.size() >= 3 && (path.get(0).equals("config")
        && (path.get(1).equals("env") || path.get(1).equals("labels"))
        || path.get(0).equals("dockerfile") && path.get(1).equals("args"));
    YamlNode value;
    if (freeText) {
      value = new Scalar(at, ScalarType.STRING, text);
    } else if (text.isBlank()) {
      value = new Scalar(at, ScalarType.NULL, "");
    } else {
      try {
        value = relocate(YamlReader.read(s.origin(), text), at);
      } catch (ConfigException e) {
        r.problem(at, "", "value of " + s.origin() + " is not valid YAML (quote it): " + e.problems().get(0).message());
        return root;
      }
    }
    YamlNode updated = setIn(root, path, 0, value, at, s.origin());
    return updated instanceof MapNode m ? levelOnce(m, path) : root;
  }

  /**
   * The level is written once, as {@code compression: ALGO:N} or as {@code compressionLevel: N}:
   * the flag given last replaces the other form's level (an app's default zstd:9 as well).
   */
  private static MapNode levelOnce(MapNode m, List<String> path) {
    if (path.equals(List.of("compression")) && m.get("compression") instanceof Scalar c && c.text().contains(":")) {
      return m.without("compressionLevel");
    }
    if (path.equals(List.of("compressionLevel")) && m.get("compression") instanceof Scalar c && c.text().contains(":")) {
      return m.with("compression", m.entries().get("compression").keyPos(),
          new Scalar(c.pos(), c.type(), c.text().substring(0, c.text().indexOf(':'))));
    }
    return m;
  }

  /** Dotted keys; under config.env/config.labels the rest is one name, since label names contain dots. */
  private static List<String> segments(String key) {
    List<String> parts = new ArrayList<>(Arrays.asList(key.split("\\.", -1)));
    if (parts.size() > 3 && parts.get(0).equals("config") && (parts.get(1).equals("env") || parts.get(1).equals("labels"))) {
      String rest = String.join(".", parts.subList(2, parts.size()));
      return List.of(parts.get(0), parts.get(1), rest);
    }
    return parts;
  }

  private YamlNode setIn(YamlNode node, List<String> path, int i, YamlNode value, SourcePos at, String origin) {
    if (i == path.size()) {
      return value;
    }
    String seg = path.get(i);
    String where = String.join(".", path.subList(0, i));
    if (node instanceof ListNode list) {
      int index = findItem(list, seg);
      if (index < 0) {
        r.problem(at, String.join(".", path), origin + ": no item '" + seg + "' in " + where + " (use a layer name or an index)");
        return node;
      }
      List<YamlNode> items = new ArrayList<>(list.items());
      items.set(index, setIn(items.get(index), path, i + 1, value, at, origin));
      return new ListNode(list.pos(), items);
    }
    MapNode map;
    if (node == null) {
      map = new MapNode(at, Map.of());
    } else if (node instanceof MapNode m) {
      map = m;
    } else {
      r.problem(at, String.join(".", path), origin + ": '" + where + "' is " + node.kind() + ", not a mapping");
      return node;
    }
    Entry existing = map.entries().get(seg);
    YamlNode child = setIn(existing == null ? null : existing.value(), path, i + 1, value, at, origin);
    Map<String, Entry> copy = new LinkedHashMap<>(map.entries());
    copy.put(seg, new Entry(existing == null ? at : existing.keyPos(), child));
    return new MapNode(map.pos(), copy);
  }

  /** An item of a list by index, or a layer by its name (or, unnamed, by its recipe). */
  private static int findItem(ListNode list, String seg) {
    if (seg.chars().allMatch(Character::isDigit)) {
      int idx = Integer.parseInt(seg);
      return idx < list.items().size() ? idx : -1;
    }
    for (int i = 0; i < list.items().size(); i++) {
      if (list.items().get(i) instanceof MapNode m) {
        YamlNode name = m.get("name") != null ? m.get("name") : m.get("recipe");
        if (name instanceof Scalar sc && sc.text().equals(seg)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Gives every node of a parsed flag value the flag's position. */
  static YamlNode relocate(YamlNode n, SourcePos at) {
    if (n instanceof MapNode m) {
      Map<String, Entry> copy = new LinkedHashMap<>();
      m.entries().forEach((k, e) -> copy.put(k, new Entry(at, relocate(e.value(), at))));
      return new MapNode(at, copy);
    }
    if (n instanceof ListNode l) {
      return new ListNode(at, l.items().stream().map(x -> relocate(x, at)).toList());
    }
    Scalar s = (Scalar) n;
    return new Scalar(at, s.type(), s.text());
  }
}
