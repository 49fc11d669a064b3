package dev.graft.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in recipes (the repository's {@code layers/*.yaml}, shipped in the jar under
 * {@code graft/layers/}) and loading of a user's own recipe file.
 */
public final class RecipeCatalog {
  /** Resource folder of the built-ins. */
  static final String RESOURCE_DIR = "graft/layers/";

  /**
   * The built-ins by name. Listed here because a jar cannot be listed portably; a test checks
   * this list against the files in {@code layers/}.
   */
  public static final List<String> BUILT_IN = List.of(
      "node-runtime", "node-runtime-minimal", "ca-certificates", "tzdata");

  private RecipeCatalog() {}

  /** Every built-in recipe, in {@link #BUILT_IN} order. */
  public static List<Recipe> builtIns() {
    List<Recipe> out = new ArrayList<>();
    for (String name : BUILT_IN) {
      out.add(builtIn(name).orElseThrow(() -> new IllegalStateException("built-in recipe missing: " + name)));
    }
    return out;
  }

  /** A built-in recipe by name. */
  public static Optional<Recipe> builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      return Optional.empty();
    }
    String resource = RESOURCE_DIR + name + ".yaml";
    try (InputStream in = RecipeCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("graft is missing its built-in recipe " + resource + " (broken jar?)");
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Optional.of(RecipeReader.read("recipe " + name, yaml));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read built-in recipe " + resource, e);
    }
  }

  /** A user's recipe file; errors name the file and line. */
  public static Recipe load(Path file) {
    String display = file.toString();
    return RecipeReader.read(display, YamlReader.readText(file, display));
  }

  /** Whether a {@code recipe:} value names a file rather than a built-in. */
  static boolean isFileRef(String ref) {
    return ref.contains("/") || ref.endsWith(".yaml") || ref.endsWith(".yml");
  }
}
