package dev.graft.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A YAML value as written, with the position of every key and value. Jackson's own tree drops
 * positions, and strict validation needs them to point at the line to fix.
 */
sealed interface YamlNode {
  SourcePos pos();

  /** A short name of the kind, for "must be a list, got a string" messages. */
  String kind();

  /** A mapping; keys keep file order and their own positions. */
  record MapNode(SourcePos pos, Map<String, Entry> entries) implements YamlNode {
    public MapNode {
      Objects.requireNonNull(pos, "pos");
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    YamlNode get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }

    /** A copy with {@code key} set to {@code value} (replacing any value there). */
    MapNode with(String key, SourcePos keyPos, YamlNode value) {
      Map<String, Entry> copy = new LinkedHashMap<>(entries);
      copy.put(key, new Entry(keyPos, value));
      return new MapNode(pos, copy);
    }

    /** A copy without {@code key} (this one when it has none). */
    MapNode without(String key) {
      if (!entries.containsKey(key)) {
        return this;
      }
      Map<String, Entry> copy = new LinkedHashMap<>(entries);
      copy.remove(key);
      return new MapNode(pos, copy);
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** A key's position and its value. */
  record Entry(SourcePos keyPos, YamlNode value) {
    public Entry {
      Objects.requireNonNull(keyPos, "keyPos");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A sequence. */
  record ListNode(SourcePos pos, List<YamlNode> items) implements YamlNode {
    public ListNode {
      Objects.requireNonNull(pos, "pos");
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A scalar with its text exactly as written (so {@code 1.10} stays "1.10") and YAML's type. */
  record Scalar(SourcePos pos, ScalarType type, String text) implements YamlNode {
    public Scalar {
      Objects.requireNonNull(pos, "pos");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String kind() {
      return switch (type) {
        case STRING -> "a string";
        case INT -> "a number";
        case FLOAT -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "nothing (null)";
      };
    }
  }

  /** What YAML made of a scalar. */
  enum ScalarType { STRING, INT, FLOAT, BOOLEAN, NULL }
}
