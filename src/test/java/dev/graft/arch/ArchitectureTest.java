package dev.graft.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's "Who may use whom" block is the map of the packages; the code's
 * references between packages must be exactly that map, and the map has no cycles.
 */
class ArchitectureTest {
  /** A reference to a class of another graft package: an import or a fully qualified name. */
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.graft\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

  private static final Path MAIN = TestData.projectRoot().resolve("src/main/java/dev/graft");

  @Test
  void theCodesPackageReferencesAreExactlyTheMapInDocsArchitecture() throws IOException {
    Map<String, Set<String>> documented = documented();
    Map<String, Set<String>> actual = actual();
    assertThat(documented.keySet()).as("packages in docs/architecture.md vs src/main")
        .containsExactlyInAnyOrderElementsOf(actual.keySet());
    List<String> differences = new ArrayList<>();
    actual.forEach((pkg, uses) -> {
      Set<String> allowed = documented.getOrDefault(pkg, Set.of());
      uses.stream().filter(u -> !allowed.contains(u))
          .forEach(u -> differences.add(pkg + " -> " + u + ": used in the code, missing in docs/architecture.md"
              + " (used by " + usersOf(pkg, u) + ")"));
      allowed.stream().filter(a -> !uses.contains(a))
          .forEach(a -> differences.add(pkg + " -> " + a + ": in docs/architecture.md, no longer used: remove it"));
    });
    assertThat(differences).as("keep docs/architecture.md true").isEmpty();
  }

  @Test
  void theMapHasNoCycles() throws IOException {
    Map<String, Set<String>> map = documented();
    Set<String> done = new HashSet<>();
    for (String pkg : map.keySet()) {
      assertThat(cycleFrom(pkg, map, new ArrayList<>(), done)).as("a cycle through " + pkg).isEmpty();
    }
  }

  private static List<String> cycleFrom(String pkg, Map<String, Set<String>> map, List<String> path, Set<String> done) {
    if (path.contains(pkg)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(pkg), path.size()));
      cycle.add(pkg);
      return cycle;
    }
    if (done.contains(pkg)) {
      return List.of();
    }
    path.add(pkg);
    for (String next : map.getOrDefault(pkg, Set.of())) {
      List<String> cycle = cycleFrom(next, map, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    done.add(pkg);
    return List.of();
  }

  /** The lines {@code pkg -> a b c} of the text block after the heading "Who may use whom". */
  static Map<String, Set<String>> documented() throws IOException {
    String doc = Files.readString(TestData.projectRoot().resolve("docs/architecture.md"));
    int heading = doc.indexOf("## Who may use whom");
    assertThat(heading).as("docs/architecture.md has its map").isNotNegative();
    int start = doc.indexOf("```text\n", heading) + "```text\n".length();
    int end = doc.indexOf("```", start);
    Map<String, Set<String>> map = new TreeMap<>();
    for (String line : doc.substring(start, end).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] sides = line.split("->", -1);
      assertThat(sides).as(line).hasSize(2);
      Set<String> uses = new TreeSet<>();
      for (String u : sides[1].trim().split("\\s+")) {
        if (!u.isEmpty()) {
          uses.add(u);
        }
      }
      map.put(sides[0].trim(), uses);
    }
    return map;
  }

  /** Package (relative to dev.graft) → the other graft packages its classes name. */
  static Map<String, Set<String>> actual() throws IOException {
    Map<String, Set<String>> map = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = packageOf(f);
        Set<String> uses = map.computeIfAbsent(pkg, k -> new TreeSet<>());
        referencesIn(f).stream().filter(u -> !u.equals(pkg)).forEach(uses::add);
      }
    }
    return map;
  }

  private static String packageOf(Path file) {
    return MAIN.relativize(file.getParent()).toString().replace('/', '.');
  }

  private static Set<String> referencesIn(Path file) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      String code = line.trim();
      if (code.startsWith("package ") || code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
        continue; // javadoc links are not uses
      }
      Matcher m = REFERENCE.matcher(code);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static List<String> usersOf(String pkg, String used) {
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg.replace('.', '/')))) {
      List<String> users = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        if (referencesIn(f).contains(used)) {
          users.add(f.getFileName().toString());
        }
      }
      return users;
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }
}
