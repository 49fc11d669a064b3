package dev.graft.config;

import java.util.List;

/**
 * One entry of a layer's {@code paths}: a path or glob ({@code *}, {@code **}, {@code ?},
 * {@code [..]}); with several alternatives, the first that exists in the source is taken (the
 * node binary is {@code /usr/local/bin/node} in official images but {@code /usr/bin/node} with
 * Alpine's apk). A selector that matches nothing is an error unless {@code optional}.
 */
public record PathSelector(List<String> alternatives, boolean optional) {
  public PathSelector {
    alternatives = List.copyOf(alternatives);
    if (alternatives.isEmpty()) {
      throw new IllegalArgumentException("a path selector needs at least one path");
    }
  }

  public static PathSelector of(String path) {
    return new PathSelector(List.of(path), false);
  }

  /** Whether any alternative is a glob rather than one literal path. */
  public boolean hasGlob() {
    return alternatives.stream().anyMatch(PathSelector::isGlob);
  }

  static boolean isGlob(String path) {
    return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  @Override
  public String toString() {
    String s = alternatives.size() == 1 ? alternatives.get(0) : "first of " + alternatives;
    return optional ? s + " (optional)" : s;
  }
}
