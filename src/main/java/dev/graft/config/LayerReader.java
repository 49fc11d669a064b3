package dev.graft.config;

import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.oci.MediaTypes.Compression;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one layer mapping, from graft.yaml (where {@code from} may be a local directory and a
 * layer may use a recipe) or from a recipe file (where paths and layers may carry {@code when}).
 *
 * @param baseDir resolves local {@code from} directories
 * @param inRecipe whether the layer is a recipe's (recipes take files from images only)
 */
record LayerReader(TypedYaml r, Path baseDir, boolean inRecipe) {
  /** Stands for from: npm until the layer's npm keys are read. */
  private static final LayerSource NPM_PENDING = new LayerSource.Base();

  /** A graft.yaml layers item, or null after recording its problems. */
  LayerItem readEntry(YamlNode n, String where) {
    MapNode m = r.map(n, where, "a layer (a mapping with name, from, paths, to, ... or recipe)");
    if (m == null) {
      return null;
    }
    if (m.get("recipe") != null) {
      return readRecipeUse(m, where);
    }
    LayerDraft d = readDraft(m, where);
    return d == null ? null : new LayerItem.Written(d);
  }

  private RecipeUse readRecipeUse(MapNode m, String where) {
    for (var e : m.entries().entrySet()) {
      String k = e.getKey();
      if (!Keys.RECIPE_USE.contains(k) && Keys.LAYER.contains(k)) {
        r.problem(e.getValue().keyPos(), where + "." + k, "'" + k + "' cannot be combined with 'recipe' in " + where
            + " (the recipe says which files to take; write a separate layer for your own files)");
      }
    }
    r.checkKeys(m, where, Keys.LAYER);
    String ref = r.string(m.get("recipe"), where + ".recipe", "a recipe name or a path to a recipe file");
    MapNode with = m.get("with") == null ? null : r.map(m.get("with"), where + ".with", "a mapping of recipe parameters");
    String name = m.get("name") == null ? null : name(m.get("name"), where);
    Compression compression = m.get("compression") == null ? null : compression(m.get("compression"), where);
    if (ref == null) {
      return null;
    }
    // Even with other problems, the recipe and its parameters are still checked, so all are reported at once.
    ClosureConflicts conflicts = m.get("conflicts") == null ? null : conflicts(m.get("conflicts"), where);
    return new RecipeUse(ref, m.get("recipe"), with, name, compression, conflicts, m.pos(), where);
  }

  /** A layer written out in full, or null after recording its problems. */
  LayerDraft readDraft(MapNode m, String where) {
    int before = r.problems.size();
    r.checkKeys(m, where, inRecipe ? Keys.RECIPE_LAYER : Keys.LAYER);
    String name = m.get("name") == null ? missing(m, where, "name", "a layer needs a name (e.g. name: app)")
        : name(m.get("name"), where);
    LayerSource source = m.get("from") == null
        ? missing(m, where, "from", "say where the files come from: from: builder, from: base, from: npm or from: ./dir")
        : source(m.get("from"), where);
    boolean npm = source == NPM_PENDING;
    if (npm) {
      source = new NpmLayerReader(r, baseDir).read(m, where, label(m, where));
    } else {
      NpmLayerReader.refuseNpmKeys(r, m, where, label(m, where));
    }
    if (npm) {
      for (String k : List.of("paths", "exclude", "closure", "conflicts")) {
        if (m.get(k) != null) {
          r.problem(m.get(k), where + "." + k, "'" + k + "' does not apply to " + label(m, where)
              + ": from: npm installs what the lockfile names (use omit: to leave kinds of dependencies out)");
        }
      }
      if (m.get("to") == null) {
        r.problem(m, where + ".to", label(m, where) + " has no 'to': say which directory node_modules goes "
            + "into, as npm ci would make it there (e.g. to: /app)");
      }
    }
    // With a bad 'from', still check paths the way the user evidently meant them.
    boolean image = source != null ? source.isImage() : inRecipe || m.get("from") instanceof Scalar s
        && Keys.suggest(s.text(), List.of("builder", "base")).isPresent();
    List<LayerDraft.ConditionalPath> paths = m.get("paths") == null ? List.of() : paths(m.get("paths"), where, image);
    if (m.get("paths") == null && source != null && image && !npm) {
      r.problem(m, where + ".paths", label(m, where) + " takes files from " + source
          + " but has no 'paths' (e.g. paths: [/usr/local/bin/node])");
    }
    List<String> excludes = m.get("exclude") == null ? List.of() : excludes(m.get("exclude"), where, image);
    String to = m.get("to") == null ? null : to(m.get("to"), where);
    if (to == null && m.get("to") == null && source instanceof LayerSource.Directory d) {
      r.problem(m, where + ".to", label(m, where) + " takes files from the directory " + d.dir()
          + " but has no 'to' saying where they go in the image (e.g. to: /app)");
    }
    if (to != null && source != null && image && paths != null && (paths.size() != 1 || paths.get(0).selector().hasGlob()
        || paths.get(0).selector().alternatives().size() != 1)) {
      r.problem(m.get("to"), where + ".to", "'to' relocates exactly one path taken from an image, but " + label(m, where)
          + " has " + (paths.size() == 1 ? "a glob or alternatives" : paths.size() + " paths")
          + "; split it into one layer per path, or drop 'to' to keep their paths");
    }
    ClosureMode closure = source instanceof LayerSource.Builder ? ClosureMode.AUTO : ClosureMode.OFF;
    if (m.get("closure") != null) {
      ClosureMode c = closure(m.get("closure"), where);
      if (c == ClosureMode.AUTO && source != null && !source.isImage()) {
        r.problem(m.get("closure"), where + ".closure", "closure: auto needs files from an image (builder or base); "
            + label(m, where) + " takes them from a local directory");
      }
      closure = c == null ? closure : c;
    }
    ClosureConflicts conflicts = m.get("conflicts") == null ? null : conflicts(m.get("conflicts"), where);
    if (conflicts != null && closure != ClosureMode.AUTO) {
      r.problem(m.get("conflicts"), where + ".conflicts", "'conflicts' says what closure: auto does where the base "
          + "has a different library, but " + label(m, where) + " has closure: off");
    }
    SpecialFiles specialFiles = m.get("specialFiles") == null ? null
        : choice(m.get("specialFiles"), where, "specialFiles", SpecialFiles.values());
    if (specialFiles != null && source != null && !source.isImage()) {
      r.problem(m.get("specialFiles"), where + ".specialFiles", "'specialFiles' says what happens to device nodes "
          + "and FIFOs taken from an image, but " + label(m, where) + " takes no files from an image");
    }
    Compression compression = m.get("compression") == null ? null : compression(m.get("compression"), where);
    String when = m.get("when") == null ? null : r.string(m.get("when"), where + ".when", "a parameter name");
    Prune prune = m.get("prune") == null ? null : choice(m.get("prune"), where, "prune", Prune.values());
    if (r.problems.size() > before) {
      return null;
    }
    return new LayerDraft(name, source, paths, excludes, to, closure, conflicts, specialFiles, compression, when,
        m.pos(), prune);
  }

  /** "layer 'deps' (layers[1])", or just "layers[1]" while the name is unknown. */
  private static String label(MapNode m, String where) {
    return m.get("name") instanceof Scalar s && !s.text().isEmpty() ? "layer '" + s.text() + "' (" + where + ")" : where;
  }

  /** Reports a missing key, unless an unknown key was already reported as its typo ("form" for "from"). */
  private <T> T missing(MapNode m, String where, String key, String hint) {
    if (!Keys.hasTypoOf(m, key, inRecipe ? Keys.RECIPE_LAYER : Keys.LAYER)) {
      r.problem(m, where + "." + key, label(m, where) + " has no '" + key + "': " + hint);
    }
    return null;
  }

  private String name(YamlNode n, String where) {
    String name = r.string(n, where + ".name", "a layer name");
    if (name != null && !LayerSpec.NAME.matcher(name).matches()) {
      r.problem(n, where + ".name", "bad layer name '" + name + "' (use letters, digits, '.', '_' and '-', "
          + "starting with a letter or digit, at most 64 characters)");
      return null;
    }
    return name;
  }

  private LayerSource source(YamlNode n, String where) {
    String from = r.string(n, where + ".from", "builder, base, npm or a local directory");
    if (from == null) {
      return null;
    }
    switch (from) {
      case "builder":
        return new LayerSource.Builder();
      case "base":
        return new LayerSource.Base();
      case "npm":
        if (!inRecipe) {
          return NPM_PENDING; // completed from the layer's npm keys in readDraft
        }
        break;
      default:
        break;
    }
    if (inRecipe) {
      r.problem(n, where + ".from", "a recipe takes files from 'builder' or 'base', not '" + from + "'");
      return null;
    }
    // In a file, relative to the file; from --set, relative to the working directory where it was typed.
    Path dir = (n.pos().inFile() ? baseDir.resolve(from) : Path.of(from).toAbsolutePath()).normalize();
    if (!Files.isDirectory(dir)) {
      String hint = Keys.suggest(from, List.of("builder", "base")).map(s -> " (did you mean '" + s + "'?)")
          .orElse(Files.exists(dir) ? " (it is not a directory)" : "");
      r.problem(n, where + ".from", "local directory " + dir + " does not exist" + hint);
      return null;
    }
    return new LayerSource.Directory(dir.toAbsolutePath());
  }

  private List<LayerDraft.ConditionalPath> paths(YamlNode n, String where, boolean image) {
    String key = where + ".paths";
    ListNode l = r.list(n, key, "a list of paths or globs");
    if (l == null) {
      return null;
    }
    if (l.items().isEmpty()) {
      r.problem(n, key, "'" + key + "' is empty; name the files to take, or leave it out for a whole directory");
      return null;
    }
    List<LayerDraft.ConditionalPath> out = new ArrayList<>();
    for (int i = 0; i < l.items().size(); i++) {
      LayerDraft.ConditionalPath p = pathItem(l.items().get(i), key + "[" + i + "]", image);
      if (p == null) {
        return null;
      }
      out.add(p);
    }
    return out;
  }

  private LayerDraft.ConditionalPath pathItem(YamlNode n, String key, boolean image) {
    if (n instanceof Scalar) {
      String p = r.string(n, key, "a path");
      return p != null && checkPath(n, key, p, image) ? new LayerDraft.ConditionalPath(PathSelector.of(p), null) : null;
    }
    MapNode m = r.map(n, key, "a path, or a mapping with path (or first), optional" + (inRecipe ? ", when" : ""));
    if (m == null) {
      return null;
    }
    int before = r.problems.size();
    r.checkKeys(m, key, inRecipe ? Keys.RECIPE_PATH_ITEM : Keys.PATH_ITEM);
    List<String> alternatives = null;
    if (m.get("path") != null && m.get("first") != null) {
      r.problem(m, key, "give either 'path' or 'first' in " + key + ", not both");
    } else if (m.get("path") != null) {
      String p = r.string(m.get("path"), key + ".path", "a path");
      alternatives = p != null && checkPath(m.get("path"), key + ".path", p, image) ? List.of(p) : null;
    } else if (m.get("first") != null) {
      List<String> ps = r.strings(m.get("first"), key + ".first", "a list of paths (the first that exists is taken)", false);
      if (ps != null && ps.isEmpty()) {
        r.problem(m.get("first"), key + ".first", "'" + key + ".first' is empty");
      } else if (ps != null && ps.stream().allMatch(p -> checkPath(m.get("first"), key + ".first", p, image))) {
        alternatives = ps;
      }
    } else {
      r.problem(m, key, key + " needs 'path' or 'first'");
    }
    Boolean optional = m.get("optional") == null ? Boolean.FALSE : r.bool(m.get("optional"), key + ".optional");
    String when = m.get("when") == null ? null : r.string(m.get("when"), key + ".when", "a parameter name");
    if (r.problems.size() > before || alternatives == null || optional == null) {
      return null;
    }
    return new LayerDraft.ConditionalPath(new PathSelector(alternatives, optional), when);
  }

  private List<String> excludes(YamlNode n, String where, boolean image) {
    String key = where + ".exclude";
    List<String> ex = r.strings(n, key, "a list of globs", false);
    if (ex == null) {
      return null;
    }
    // "**/*.md" is how people write "anywhere"; for an image that is the same as "/**/*.md".
    return ex.stream().allMatch(p -> checkPath(n, key, image && p.startsWith("**/") ? "/" + p : p, image)) ? ex : null;
  }

  /** Image paths are absolute, local ones relative; neither may climb out with "..". */
  private boolean checkPath(YamlNode at, String key, String p, boolean image) {
    if (image && !p.startsWith("/")) {
      r.problem(at, key, "'" + p + "' in '" + key + "' must be an absolute path in the image (e.g. /" + p + ")");
      return false;
    }
    if (!image && p.startsWith("/")) {
      r.problem(at, key, "'" + p + "' in '" + key + "' must be relative to the layer's directory");
      return false;
    }
    for (String seg : p.split("/")) {
      if (seg.equals("..") || seg.equals(".")) {
        r.problem(at, key, "'" + p + "' in '" + key + "' must not contain '" + seg + "' segments");
        return false;
      }
    }
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + p);
    } catch (IllegalArgumentException e) {
      r.problem(at, key, "bad glob '" + p + "' in '" + key + "': " + e.getMessage().lines().findFirst().orElse(""));
      return false;
    }
    return true;
  }

  private String to(YamlNode n, String where) {
    String key = where + ".to";
    String to = r.string(n, key, "an absolute path in the image");
    if (to == null) {
      return null;
    }
    if (!to.startsWith("/")) {
      r.problem(n, key, "'" + key + "' must be an absolute path in the image, got '" + to + "'");
      return null;
    }
    for (String seg : to.split("/")) {
      if (seg.equals("..") || seg.equals(".")) {
        r.problem(n, key, "'" + key + "' must not contain '" + seg + "' segments: " + to);
        return null;
      }
    }
    if (PathSelector.isGlob(to)) {
      r.problem(n, key, "'" + key + "' is where files go, it cannot be a glob: " + to);
      return null;
    }
    return to;
  }

  private ClosureMode closure(YamlNode n, String where) {
    String v = r.text(n, where + ".closure", "auto or off");
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "auto" -> ClosureMode.AUTO;
      case "off" -> ClosureMode.OFF;
      default -> {
        r.problem(n, where + ".closure", "'" + where + ".closure' must be auto or off, got '" + v + "'");
        yield null;
      }
    };
  }

  ClosureConflicts conflicts(YamlNode n, String where) {
    return choice(n, where, "conflicts", ClosureConflicts.values());
  }

  Compression compression(YamlNode n, String where) {
    return choice(n, where, "compression", Compression.values());
  }

  /** One of an enum's values, written as its lower-case name; null (the problem recorded) otherwise. */
  <E extends Enum<E>> E choice(YamlNode n, String where, String name, E[] values) {
    String key = TypedYaml.join(where, name);
    List<String> names = java.util.Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    String expected = String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    String v = r.text(n, key, expected);
    if (v == null) {
      return null;
    }
    int i = names.indexOf(v);
    if (i < 0) {
      r.problem(n, key, "'" + key + "' must be " + expected + ", got '" + v + "'");
      return null;
    }
    return values[i];
  }
}
