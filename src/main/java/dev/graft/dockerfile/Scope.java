package dev.graft.dockerfile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names in scope at one point of a Dockerfile: ARGs (with values, or declared without) and
 * ENVs (which win over an ARG of the same name, as in BuildKit).
 */
final class Scope implements ShellWords.Vars {
  private final Map<String, String> args = new HashMap<>();
  private final Set<String> declared = new HashSet<>();
  final Map<String, ShellWords.Value> env;

  Scope(Map<String, ShellWords.Value> env) {
    this.env = env;
  }

  static Scope empty() {
    return new Scope(new LinkedHashMap<>());
  }

  void arg(String name, String value) {
    if (value == null) {
      declared.add(name);
      args.remove(name);
    } else {
      declared.remove(name);
      args.put(name, value);
    }
  }

  /** The ARG's value, if it has one. */
  Optional<String> argValue(String name) {
    return Optional.ofNullable(args.get(name));
  }

  boolean hasArg(String name) {
    return args.containsKey(name) || declared.contains(name);
  }

  @Override
  public Optional<ShellWords.Value> get(String name) {
    ShellWords.Value e = env.get(name);
    if (e != null) {
      return Optional.of(e);
    }
    return Optional.ofNullable(args.get(name)).map(ShellWords.Value::of);
  }

  @Override
  public boolean declared(String name) {
    return declared.contains(name);
  }
}
