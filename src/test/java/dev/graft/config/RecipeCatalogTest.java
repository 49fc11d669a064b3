package dev.graft.config;

import dev.graft.oci.MediaTypes.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RecipeCatalogTest {
  @TempDir Path dir;

  @Test
  void builtInListMatchesTheFilesInLayersAndEachLoads() throws Exception {
    List<String> files;
    try (Stream<Path> s = Files.list(Path.of("layers"))) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
    }
    assertThat(RecipeCatalog.BUILT_IN).containsExactlyInAnyOrderElementsOf(files);
    for (Recipe r : RecipeCatalog.builtIns()) {
      assertThat(r.description()).isNotBlank().doesNotContain("\n");
      assertThat(r.yaml()).as("the shipped file is the repository's file")
          .isEqualTo(Files.readString(Path.of("layers", r.name() + ".yaml")));
      assertThat(r.yaml()).as(r.name() + " documents itself").startsWith("# graft layer recipe: " + r.name());
    }
  }

  @Test
  void nodeRuntimeTakesOnlyNodeByDefaultAndToolsWhenAsked() {
    Recipe r = RecipeCatalog.builtIn("node-runtime").orElseThrow();
    SourcePos use = new SourcePos("graft.yaml", 3, 5);
    List<LayerSpec> plain = r.expand(Map.of(), null, null, use);
    assertThat(plain).singleElement().satisfies(l -> {
      assertThat(l.name()).isEqualTo("node-runtime");
      assertThat(l.closure()).isEqualTo(ClosureMode.AUTO);
      assertThat(l.paths()).containsExactly(new PathSelector(List.of("/usr/local/bin/node", "/usr/bin/node"), false));
      assertThat(l.origin()).isEqualTo(use);
      assertThat(l.recipe()).contains("node-runtime");
    });
    List<LayerSpec> all = r.expand(Map.of("npm", true, "corepack", true, "yarn", true), "node", Compression.ZSTD, use);
    assertThat(all).singleElement().satisfies(l -> {
      assertThat(l.name()).isEqualTo("node");
      assertThat(l.compression()).contains(Compression.ZSTD);
      assertThat(l.paths()).hasSize(9);
      assertThat(l.paths()).contains(
          new PathSelector(List.of("/usr/local/bin/npx", "/usr/bin/npx"), false),
          new PathSelector(List.of("/usr/local/bin/corepack", "/usr/bin/corepack"), false),
          new PathSelector(List.of("/usr/local/bin/yarnpkg", "/usr/bin/yarnpkg"), true));
    });
  }

  @Test
  void minimalRecipeIsJustNodeAndHasNoParameters() {
    Recipe r = RecipeCatalog.builtIn("node-runtime-minimal").orElseThrow();
    assertThat(r.params()).isEmpty();
    assertThat(r.expand(Map.of(), null, null, SourcePos.of("x")).get(0).paths()).containsExactly(
        new PathSelector(List.of("/usr/local/bin/node", "/usr/bin/node"), false));
  }

  @Test
  void userRecipeFileIsLoadedRelativeToGraftYaml() throws Exception {
    Files.createDirectories(dir.resolve("recipes"));
    Files.writeString(dir.resolve("recipes/ffmpeg.yaml"), """
        name: ffmpeg
        description: ffmpeg from the builder.
        params:
          probe: { default: true, description: Also ffprobe. }
        layers:
          - name: ffmpeg
            from: builder
            paths:
              - /usr/bin/ffmpeg
              - { path: /usr/bin/ffprobe, when: probe }
        """);
    BuildPlan plan = GraftConfig.parse("graft.yaml", """
        base: alpine
        builder: alpine
        layers:
          - recipe: ./recipes/ffmpeg.yaml
        """, dir, Overrides.NONE, Map.of());
    LayerSpec l = plan.platforms().get(0).layers().get(0);
    assertThat(l.name()).isEqualTo("ffmpeg");
    assertThat(l.paths()).containsExactly(PathSelector.of("/usr/bin/ffmpeg"), PathSelector.of("/usr/bin/ffprobe"));
    assertThat(l.closure()).isEqualTo(ClosureMode.AUTO);
  }

  @Test
  void brokenUserRecipeIsReportedAtItsOwnLinesAndAtTheUse() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        name: bad
        description: A broken recipe.
        params:
          extra: { type: string, description: x }
        layers:
          - name: bad
            from: ./somewhere
            paths:
              - { path: /x, when: extar }
        """);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> GraftConfig.parse("graft.yaml",
        "base: alpine\nbuilder: alpine\nlayers:\n  - recipe: bad.yaml\n", dir, Overrides.NONE, Map.of()));
    String f = file.toString();
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        f + ":4:18: parameter type must be boolean (the only type recipes have), got 'string'",
        f + ":7:11: a recipe takes files from 'builder' or 'base', not './somewhere'",
        "graft.yaml:4:13: recipe 'bad.yaml' has errors (see " + f + ")");
  }

  @Test
  void recipeWhenMustNameADeclaredParameter() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> RecipeReader.read("r.yaml", """
        name: r
        description: d
        params:
          extra: { description: x }
        layers:
          - name: r
            from: builder
            when: extar
            paths:
              - { path: /x, when: nope }
        """));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "r.yaml:8:11: 'when: extar' names no parameter of this recipe (did you mean 'extra'?)",
        "r.yaml:10:27: 'when: nope' names no parameter of this recipe (it has: extra)");
  }

  @Test
  void missingUserRecipeFileIsNamed() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> GraftConfig.parse("graft.yaml",
        "base: alpine\nlayers:\n  - recipe: ./nope.yaml\n", dir, Overrides.NONE, Map.of()));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        dir.resolve("nope.yaml") + ": file not found: " + dir.resolve("nope.yaml"),
        "graft.yaml:3:13: recipe './nope.yaml' has errors (see " + dir.resolve("nope.yaml") + ")");
  }
}
