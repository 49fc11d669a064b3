package dev.graft.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects problems while a whole configuration is checked, so the user sees all of them at
 * once. Duplicates (the same mistake found once per platform) are reported once.
 */
final class Problems {
  private final Set<ConfigProblem> problems = new LinkedHashSet<>();

  void add(SourcePos pos, String key, String message) {
    problems.add(ConfigProblem.at(pos, key, message));
  }

  void addAll(ConfigException e) {
    problems.addAll(e.problems());
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  int size() {
    return problems.size();
  }

  /** Throws every collected problem, grouped by file (in the order first seen), then by line. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    List<ConfigProblem> sorted = new ArrayList<>(problems);
    List<String> files = sorted.stream().map(ConfigProblem::file).distinct().toList();
    sorted.sort(Comparator.comparingInt((ConfigProblem p) -> files.indexOf(p.file()))
        .thenComparingInt(ConfigProblem::line)
        .thenComparingInt(ConfigProblem::column));
    throw new ConfigException(sorted);
  }
}
