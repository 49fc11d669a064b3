package dev.graft.config;

import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks a recipe file (format: layers/README.md). */
final class RecipeReader {
  private RecipeReader() {}

  /** Parses recipe YAML; {@code origin} names the file in errors. Throws {@link ConfigException} listing every problem. */
  static Recipe read(String origin, String yaml) {
    Problems problems = new Problems();
    TypedYaml r = new TypedYaml(problems);
    YamlNode rootNode = YamlReader.read(origin, yaml);
    MapNode root = r.map(rootNode, "recipe", "a mapping (name, description, params, layers)");
    if (root == null) {
      problems.throwIfAny();
    }
    r.checkKeys(root, "", Keys.RECIPE);
    String name = require(r, root, "name", "a recipe name");
    if (name != null && !LayerSpec.NAME.matcher(name).matches()) {
      r.problem(root.get("name"), "name", "bad recipe name '" + name + "'");
    }
    String description = require(r, root, "description", "a one-line description");
    if (description != null && description.strip().contains("\n")) {
      r.problem(root.get("description"), "description", "'description' must be one line");
    }
    List<RecipeParam> params = params(r, root.get("params"));
    Set<String> paramNames = new HashSet<>();
    params.forEach(p -> paramNames.add(p.name()));
    List<LayerDraft> layers = new ArrayList<>();
    if (root.get("layers") == null) {
      r.problem(root, "layers", "a recipe needs 'layers'");
    } else {
      ListNode l = r.list(root.get("layers"), "layers", "a list of layers");
      // Recipes take files from images only, so no directory is ever resolved against this.
      LayerReader lr = new LayerReader(r, Path.of("/"), true);
      for (int i = 0; l != null && i < l.items().size(); i++) {
        String where = "layers[" + i + "]";
        MapNode lm = r.map(l.items().get(i), where, "a layer");
        LayerDraft d = lm == null ? null : lr.readDraft(lm, where);
        if (d != null) {
          checkWhen(r, lm, where, d, paramNames);
          layers.add(d);
        }
      }
      if (l != null && l.items().isEmpty()) {
        r.problem(l, "layers", "a recipe needs at least one layer");
      }
    }
    problems.throwIfAny();
    return new Recipe(name, description.strip(), params, layers, yaml, origin);
  }

  private static String require(TypedYaml r, MapNode root, String key, String expected) {
    if (root.get(key) == null) {
      r.problem(root, key, "a recipe needs '" + key + "'");
      return null;
    }
    return r.string(root.get(key), key, expected);
  }

  private static List<RecipeParam> params(TypedYaml r, YamlNode n) {
    List<RecipeParam> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    MapNode m = r.map(n, "params", "a mapping of parameter names to {type, default, description}");
    if (m == null) {
      return out;
    }
    for (var e : m.entries().entrySet()) {
      String key = "params." + e.getKey();
      if (!RecipeParam.NAME.matcher(e.getKey()).matches()) {
        r.problem(e.getValue().keyPos(), key, "bad parameter name '" + e.getKey() + "' (lower-case letters, digits, '-')");
        continue;
      }
      MapNode pm = r.map(e.getValue().value(), key, "a mapping (type, default, description)");
      if (pm == null) {
        continue;
      }
      r.checkKeys(pm, key, Keys.RECIPE_PARAM);
      String type = pm.get("type") == null ? "boolean" : r.string(pm.get("type"), key + ".type", "boolean");
      if (type != null && !type.equals("boolean")) {
        r.problem(pm.get("type"), key + ".type", "parameter type must be boolean (the only type recipes have), got '"
            + type + "'");
      }
      Boolean def = pm.get("default") == null ? Boolean.FALSE : r.bool(pm.get("default"), key + ".default");
      String desc = pm.get("description") == null ? null : r.string(pm.get("description"), key + ".description", "text");
      if (pm.get("description") == null) {
        r.problem(pm, key + ".description", "parameter '" + e.getKey() + "' needs a description");
      }
      if (def != null && desc != null) {
        out.add(new RecipeParam(e.getKey(), def, desc.strip()));
      }
    }
    return out;
  }

  /** Every {@code when} must name a declared parameter, or the condition could never be met. */
  private static void checkWhen(TypedYaml r, MapNode layer, String where, LayerDraft d, Set<String> params) {
    if (d.when() != null && !params.contains(d.when())) {
      r.problem(layer.get("when"), where + ".when", unknownParam(d.when(), params));
    }
    YamlNode paths = layer.get("paths");
    for (int i = 0; i < d.paths().size(); i++) {
      String when = d.paths().get(i).when();
      if (when != null && !params.contains(when)) {
        YamlNode item = ((ListNode) paths).items().get(i);
        r.problem(((MapNode) item).get("when"), where + ".paths[" + i + "].when", unknownParam(when, params));
      }
    }
  }

  private static String unknownParam(String when, Set<String> params) {
    return "'when: " + when + "' names no parameter of this recipe"
        + Keys.suggest(when, params).map(s -> " (did you mean '" + s + "'?)").orElse(
            params.isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", params.stream().sorted().toList()) + ")");
  }
}
