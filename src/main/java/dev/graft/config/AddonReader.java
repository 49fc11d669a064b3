package dev.graft.config;

import dev.graft.config.YamlNode.Entry;
import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a Home Assistant add-on directory into a {@link BuildPlan}: {@code config.yaml} (or the
 * older {@code config.json}) gives the arches, version and per-arch image name; the legacy
 * {@code build.yaml} gives the base per arch and labels; an optional {@code graft.yaml} beside
 * them gives the rest (builder, layers, config) and may override any of it. The add-on's values
 * are defaults placed into graft.yaml's tree, so every error still points at the file and line
 * the value came from.
 */
public final class AddonReader {
  private static final List<String> CONFIG_FILES = List.of("config.yaml", "config.yml", "config.json");
  private static final List<String> BUILD_FILES = List.of("build.yaml", "build.yml", "build.json");
  /** build.yaml keys graft has no use for: Dockerfile build args, squash and signing belong to docker build. */
  private static final List<String> BUILD_IGNORED = List.of("args", "squash", "codenotary");

  private AddonReader() {}

  public static BuildPlan read(Path addonDir) {
    return read(addonDir, Overrides.NONE, Map.of());
  }

  /** The add-on's plan with overrides (flags over env) and {@code SOURCE_DATE_EPOCH} from {@code env}. */
  public static BuildPlan read(Path addonDir, Overrides overrides, Map<String, String> env) {
    Path dir = addonDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(List.of(ConfigProblem.at(SourcePos.of(addonDir.toString()), "",
          "add-on directory " + dir + " does not exist")));
    }
    Problems problems = new Problems();
    TypedYaml r = new TypedYaml(problems);
    List<String> notes = new ArrayList<>();

    Path configFile = first(dir, CONFIG_FILES).orElseThrow(() -> new ConfigException(List.of(ConfigProblem.at(
        SourcePos.of(addonDir.toString()), "", "no config.yaml (or config.json) in " + dir
            + "; is this a Home Assistant add-on directory?"))));
    YamlNode configNode = YamlReader.readFile(configFile, display(addonDir, configFile));
    AddonInfo info = info(r, configNode);

    MapNode build = null;
    Optional<Path> buildFile = first(dir, BUILD_FILES);
    // messages name the file the add-on has: build.yaml, build.yml or the legacy build.json
    String buildName = buildFile.map(f -> f.getFileName().toString()).orElse("build.yaml");
    if (buildFile.isPresent()) {
      build = r.map(YamlReader.readFile(buildFile.get(), display(addonDir, buildFile.get())), buildName,
          "a mapping (build_from, labels, args)");
    }
    Optional<Path> graftFile = first(dir, List.of("graft.yaml", "graft.yml"));
    YamlNode graftNode = graftFile.isPresent() ? YamlReader.readFile(graftFile.get(), display(addonDir, graftFile.get()))
        : new MapNode(configNode.pos(), Map.of());
    MapNode graft = r.map(graftNode, "graft.yaml", "a mapping");
    problems.throwIfAny();

    MapNode tree = withAddonDefaults(r, graft, configNode, build, buildName, info, notes);
    if (tree.get("layers") == null) {
      // without graft.yaml (a Dockerfile add-on) nothing says what to add: the image would be the base alone
      notes.add("add-on '" + info.name() + "' has " + (graftFile.isPresent() ? "no layers in "
          + graftFile.get().getFileName() : "no graft.yaml") + ", so its image would be the base with labels only, nothing of the add-on's own;"
          + " add a graft.yaml beside config.yaml with the layers (node, node_modules, the app's files):"
          + " see docs/graft-yaml.md");
    }
    if (tree.get("base") == null && overrides.base() == null) {
      r.problem(configNode, "base", "no base image for add-on '" + info.name() + "': give build_from per arch in "
          + "build.yaml, or base: in graft.yaml (e.g. base: ghcr.io/home-assistant/{arch}-base:3.15)");
    }
    problems.throwIfAny();

    Function<Platform, Map<String, String>> labels = p -> labels(info, p);
    return GraftConfig.plan(tree, dir, overrides, env, notes, labels, p -> archRefusal(p, info, configNode));
  }

  /** The add-on's facts, type-checked; HA's own keys (options, schema, ports, ...) are HA's business. */
  static AddonInfo info(TypedYaml r, YamlNode configNode) {
    MapNode c = r.map(configNode, "config.yaml", "a mapping (name, version, slug, description, arch, ...)");
    if (c == null) {
      r.problems.throwIfAny();
    }
    String name = required(r, c, "name");
    String version = c.get("version") == null ? missing(r, c, "version") : r.text(c.get("version"), "version", "a version");
    if (version != null && !ImageRef.TAG.matcher(version).matches()) {
      r.problem(c.get("version"), "version", "version '" + version + "' cannot be an image tag (letters, digits, '_', "
          + "'.', '-'; not starting with '.' or '-')");
    }
    String description = required(r, c, "description");
    List<HaArch> arch = new ArrayList<>();
    if (c.get("arch") == null) {
      missing(r, c, "arch");
    } else {
      List<String> names = r.strings(c.get("arch"), "arch", "a list of arches (" + HaArch.names() + ")", false);
      for (int i = 0; names != null && i < names.size(); i++) {
        Optional<HaArch> a = HaArch.fromHaName(names.get(i));
        if (a.isEmpty()) {
          r.problem(((ListNode) c.get("arch")).items().get(i), "arch[" + i + "]", "unknown Home Assistant arch '"
              + names.get(i) + "' (known: " + HaArch.names() + ")");
        } else if (!arch.contains(a.get())) {
          arch.add(a.get());
        }
      }
      if (names != null && names.isEmpty()) {
        r.problem(c.get("arch"), "arch", "'arch' is empty; list the arches the add-on supports");
      }
    }
    Optional<String> image = Optional.ofNullable(c.get("image") == null ? null
        : r.string(c.get("image"), "image", "an image name like ghcr.io/acme/{arch}-addon-name"));
    image.ifPresent(i -> {
      String noArch = i.replace("{arch}", "amd64");
      if (noArch.lastIndexOf(':') > noArch.lastIndexOf('/') || noArch.contains("@")) {
        r.problem(c.get("image"), "image", "'image' must not carry a tag or digest; Home Assistant tags it with the "
            + "version");
      }
    });
    Optional<String> url = Optional.ofNullable(c.get("url") == null ? null : r.string(c.get("url"), "url", "a URL"));
    r.problems.throwIfAny();
    return new AddonInfo(name, version, description.strip(), arch, image, url);
  }

  /** graft.yaml's tree with the add-on's values filled in where graft.yaml says nothing. */
  private static MapNode withAddonDefaults(TypedYaml r, MapNode graft, YamlNode configNode, MapNode build,
      String buildName, AddonInfo info, List<String> notes) {
    MapNode c = (MapNode) configNode;
    MapNode tree = graft;
    if (tree.get("platforms") == null) {
      tree = tree.with("platforms", c.entries().get("arch").keyPos(), c.get("arch"));
    }
    if (tree.get("to") == null && c.get("image") != null) {
      tree = tree.with("to", c.entries().get("image").keyPos(), c.get("image"));
    }
    if (tree.get("tags") == null) {
      YamlNode v = c.get("version");
      tree = tree.with("tags", c.entries().get("version").keyPos(), new ListNode(v.pos(), List.of(v)));
    }
    if (build == null) {
      return tree;
    }
    for (var e : build.entries().entrySet()) {
      String k = e.getKey();
      if (BUILD_IGNORED.contains(k)) {
        notes.add(e.getValue().keyPos() + ": " + buildName + " '" + k + "' is ignored: graft does not run a Dockerfile");
      } else if (!k.equals("build_from") && !k.equals("labels")) {
        r.checkKeys(new MapNode(build.pos(), Map.of(k, e.getValue())), buildName,
            List.of("build_from", "labels", "args", "squash", "codenotary"));
      }
    }
    if (tree.get("base") == null && build.get("build_from") != null) {
      tree = tree.with("base", build.entries().get("build_from").keyPos(), build.get("build_from"));
    }
    if (build.get("labels") instanceof MapNode buildLabels) {
      tree = mergeLabels(r, tree, buildLabels);
    } else if (build.get("labels") != null) {
      r.wrongType(build.get("labels"), "labels", "a mapping of label names to values");
    }
    return tree;
  }

  /** build.yaml's labels under graft.yaml's config.labels (graft.yaml wins), positions kept. */
  private static MapNode mergeLabels(TypedYaml r, MapNode tree, MapNode buildLabels) {
    YamlNode config = tree.get("config");
    if (config != null && !(config instanceof MapNode)) {
      return tree; // graft.yaml's reader reports the wrong type
    }
    MapNode cfg = config == null ? new MapNode(buildLabels.pos(), Map.of()) : (MapNode) config;
    YamlNode own = cfg.get("labels");
    Map<String, Entry> merged = new LinkedHashMap<>(buildLabels.entries());
    if (own instanceof MapNode ownLabels) {
      merged.putAll(ownLabels.entries());
    } else if (own != null) {
      return tree;
    }
    MapNode labels = new MapNode(own != null ? own.pos() : buildLabels.pos(), merged);
    SourcePos keyPos = cfg.entries().containsKey("labels") ? cfg.entries().get("labels").keyPos() : buildLabels.pos();
    MapNode newCfg = cfg.with("labels", keyPos, labels);
    SourcePos cfgKeyPos = tree.entries().containsKey("config") ? tree.entries().get("config").keyPos() : buildLabels.pos();
    return tree.with("config", cfgKeyPos, newCfg);
  }

  /** The labels Home Assistant's builder sets, for one platform; the user's labels win over these. */
  static Map<String, String> labels(AddonInfo info, Platform p) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("io.hass.type", "addon");
    l.put("io.hass.name", info.name());
    l.put("io.hass.description", info.description());
    HaArch.fromPlatform(p).ifPresent(a -> l.put("io.hass.arch", a.haName()));
    l.put("io.hass.version", info.version());
    info.url().ifPresent(u -> l.put("io.hass.url", u));
    l.put("org.opencontainers.image.title", info.name());
    l.put("org.opencontainers.image.description", info.description());
    l.put("org.opencontainers.image.version", info.version());
    info.url().ifPresent(u -> {
      l.put("org.opencontainers.image.url", u);
      l.put("org.opencontainers.image.source", u);
    });
    return l;
  }

  /** Every platform built must be one of the add-on's arches: HA would never pull another. */
  private static ConfigProblem archRefusal(Platform p, AddonInfo info, YamlNode configNode) {
    Optional<HaArch> a = HaArch.fromPlatform(p);
    if (a.isPresent() && info.arch().contains(a.get())) {
      return null;
    }
    YamlNode at = ((MapNode) configNode).get("arch");
    return ConfigProblem.at(at.pos(), "arch", "platform " + p + a.map(x -> " (" + x.haName() + ")").orElse("")
        + " is not in the add-on's arch list (" + String.join(", ", info.arch().stream().map(HaArch::haName).toList())
        + ")");
  }

  private static Optional<Path> first(Path dir, List<String> names) {
    return names.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
  }

  private static String display(Path addonDir, Path file) {
    return addonDir.resolve(file.getFileName()).toString();
  }

  private static String required(TypedYaml r, MapNode c, String key) {
    return c.get(key) == null ? missing(r, c, key) : r.string(c.get(key), key, "a string");
  }

  private static String missing(TypedYaml r, MapNode c, String key) {
    r.problem(c, key, "add-on config has no '" + key + "' (Home Assistant requires it)");
    return null;
  }
}
