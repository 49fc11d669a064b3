package dev.graft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of broken variants of valid files (values swapped for other YAML types, lines
 * dropped, duplicated or re-indented) must each either load or fail with a ConfigException that
 * points into the file: never a NullPointerException, ClassCastException or other crash.
 */
class MutatedConfigTest {
  @TempDir Path dir;

  static final List<String> REPLACEMENTS = List.of(
      "~", "[]", "{}", "[a, b]", "{a: b}", "0", "-1", "3.5", "true", "''", "\"{arch}\"", "/abs", "./rel", "a:b",
      "[{x: 1}]", "[[1]]", "ghcr.io/a/{arch}-b", "linux/arm64", "auto", "off");

  @Test
  void everyMutationLoadsOrFailsWithPositions() throws Exception {
    Files.createDirectories(dir.resolve("backend/dist"));
    Files.createDirectories(dir.resolve("frontend/dist"));
    String[] sources = {GraftConfigTest.SKETCH, Files.readString(Path.of("src/test/resources/addons/hasync/graft.yaml"))
        .replace("builder:", "base: alpine\nbuilder:")};
    // Fixed seed: the same cases every run; -Dgraft.mutations.seed / .count explore further.
    Random random = new Random(Long.getLong("graft.mutations.seed", 42));
    int count = Integer.getInteger("graft.mutations.count", 1500);
    int loaded = 0;
    int refused = 0;
    for (String source : sources) {
      List<String> lines = source.lines().toList();
      for (int i = 0; i < count; i++) {
        String yaml = mutate(lines, random);
        try {
          GraftConfig.parse("graft.yaml", yaml, dir, Overrides.NONE, Map.of());
          loaded++;
        } catch (ConfigException e) {
          refused++;
          for (ConfigProblem p : e.problems()) {
            // graft.yaml itself, or a recipe file it names
            assertThat(p.file()).as(yaml).isNotBlank();
            assertThat(p.message()).as(yaml).isNotBlank();
          }
        } catch (RuntimeException e) {
          fail("crashed instead of reporting a problem on:\n" + yaml, e);
        }
      }
    }
    assertThat(refused).as("most mutations break the file").isGreaterThan(1000);
    assertThat(loaded).as("some mutations are harmless").isGreaterThan(0);
  }

  @Test
  void everyMutatedAddonLoadsOrFailsWithPositions() throws Exception {
    Path src = Path.of("src/test/resources/addons/hasync");
    Files.createDirectories(dir.resolve("backend/dist"));
    Files.copy(src.resolve("graft.yaml"), dir.resolve("graft.yaml"));
    Random random = new Random(Long.getLong("graft.mutations.seed", 42));
    int count = Integer.getInteger("graft.mutations.count", 1500) / 6;
    int refused = 0;
    for (String name : List.of("config.yaml", "build.yaml", "graft.yaml")) {
      List<String> original = Files.readAllLines(src.resolve(name));
      for (int i = 0; i < count; i++) {
        Files.copy(src.resolve("config.yaml"), dir.resolve("config.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(src.resolve("build.yaml"), dir.resolve("build.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(src.resolve("graft.yaml"), dir.resolve("graft.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String yaml = mutate(original, random);
        Files.writeString(dir.resolve(name), yaml);
        try {
          AddonReader.read(dir);
        } catch (ConfigException e) {
          refused++;
          assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank());
        } catch (RuntimeException e) {
          fail("crashed instead of reporting a problem on " + name + ":\n" + yaml, e);
        }
      }
    }
    assertThat(refused).isGreaterThan(count);
  }

  private static String mutate(List<String> lines, Random random) {
    List<String> out = new ArrayList<>(lines);
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      int i = random.nextInt(out.size());
      String line = out.get(i);
      switch (random.nextInt(5)) {
        case 0 -> out.remove(i);
        case 1 -> out.add(i, line);
        case 2 -> out.set(i, "  " + line);
        default -> {
          int colon = line.indexOf(": ");
          if (colon > 0) {
            out.set(i, line.substring(0, colon + 2) + REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size())));
          } else if (line.trim().startsWith("- ")) {
            out.set(i, line.substring(0, line.indexOf("- ") + 2) + REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size())));
          }
        }
      }
      if (out.isEmpty()) {
        out.add("base: alpine");
      }
    }
    return String.join("\n", out) + "\n";
  }
}
