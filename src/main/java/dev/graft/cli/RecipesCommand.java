package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.config.ConfigException;
import dev.graft.config.Recipe;
import dev.graft.config.RecipeCatalog;
import dev.graft.config.RecipeParam;
import dev.graft.oci.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code graft recipes} lists the built-in layer recipes; {@code graft recipes show NAME|FILE} prints one. */
@Command(name = "recipes",
    description = {"List the built-in layer recipes.",
        "Use one in graft.yaml with '- recipe: NAME'; 'graft recipes show NAME'",
        "prints a recipe, 'graft recipes show ./FILE.yaml' checks your own."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft recipes",
        "  graft recipes show node-runtime",
        "  graft recipes show ./recipes/mine.yaml",
        "",
        "See docs/graft-yaml.md#recipes."},
    subcommands = RecipesCommand.Show.class)
public final class RecipesCommand implements Runnable {
  @Mixin
  CommonOptions common;

  @Override
  public void run() {
    PrintWriter out = common.out();
    if (common.json) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      RecipeCatalog.builtIns().forEach(r -> list.add(json(r)));
      out.println(new String(Json.write(list), StandardCharsets.UTF_8));
      return;
    }
    int width = RecipeCatalog.BUILT_IN.stream().mapToInt(String::length).max().orElse(0);
    for (Recipe r : RecipeCatalog.builtIns()) {
      out.println(String.format("%-" + width + "s  %s", r.name(), r.description()));
    }
  }

  private static ObjectNode json(Recipe r) {
    ObjectNode o = Json.object().put("name", r.name()).put("description", r.description());
    ArrayNode params = o.putArray("params");
    for (RecipeParam p : r.params()) {
      params.addObject().put("name", p.name()).put("default", p.defaultValue()).put("description", p.description());
    }
    return o;
  }

  /** {@code graft recipes show NAME|FILE}. */
  @Command(name = "show", description = "Print a built-in recipe's YAML, or check and print a recipe file.",
      footerHeading = "%nExamples:%n",
      footer = {
          "  graft recipes show node-runtime",
          "  graft recipes show ./recipes/mine.yaml --json",
          "",
          "See docs/graft-yaml.md#recipes."})
  static final class Show implements Runnable {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "NAME|FILE", description = "A built-in recipe's name, or a path to a recipe file.")
    String name;

    @Override
    public void run() {
      Recipe r;
      try {
        r = name.contains("/") || name.endsWith(".yaml") || name.endsWith(".yml")
            ? RecipeCatalog.load(Path.of(name))
            : RecipeCatalog.builtIn(name).orElseThrow(() -> new UserError("unknown recipe '" + name
                + "'; built-in recipes: " + String.join(", ", RecipeCatalog.BUILT_IN)
                + " (or give a path to a recipe file, e.g. ./recipes/mine.yaml)"));
      } catch (ConfigException e) {
        throw new UserError(e.getMessage());
      }
      PrintWriter out = common.out();
      if (common.json) {
        out.println(new String(Json.write(json(r).put("yaml", r.yaml())), StandardCharsets.UTF_8));
      } else {
        out.print(r.yaml().endsWith("\n") ? r.yaml() : r.yaml() + "\n");
      }
    }
  }
}
