package dev.graft.config;

import dev.graft.config.YamlNode.Entry;
import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.oci.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Home Assistant app (formerly add-on) directory into a {@link BuildPlan}, the way Home
 * Assistant's builder builds and publishes it: {@code config.yaml} (or {@code config.json}) gives
 * the arches (those HA still supports: amd64 and aarch64), the version (always a tag) and the image
 * name (per-arch {@code {arch}-<name>} images plus the generic {@code <name>} multi-arch index); the
 * {@code Dockerfile} gives base, files and config (see {@link AppDockerfile}); a {@code graft.yaml}
 * beside them adds the grafted layers and may override any of it. A legacy {@code build.yaml}
 * ({@code build.json}), deprecated by HA, still works: it gives {@code build_from} per arch and
 * labels, and the Dockerfile is not read. The app's values are defaults placed into graft.yaml's
 * tree (or, from the Dockerfile, a per-platform share), so every error points at the file and line
 * the value came from. Layers are zstd level 9 with OCI media types unless graft.yaml or
 * {@code --compression} says otherwise (HA's builder forces that).
 */
public final class AddonReader {
  private static final List<String> CONFIG_FILES = List.of("config.yaml", "config.yml", "config.json");
  private static final List<String> BUILD_FILES = List.of("build.yaml", "build.yml", "build.json");
  /** build.yaml keys graft has no use for: Dockerfile build args, squash and signing belong to docker build. */
  private static final List<String> BUILD_IGNORED = List.of("args", "squash", "codenotary");
  /** HA's builder: {@code compression=zstd,compression-level=9,force-compression=true,oci-mediatypes=true}. */
  static final String APP_COMPRESSION = "zstd:9";

  private AddonReader() {}

  public static BuildPlan read(Path addonDir) {
    return read(addonDir, Overrides.NONE, Map.of());
  }

  /** The app's plan with overrides (flags over env) and {@code SOURCE_DATE_EPOCH} (else git's commit time) from {@code env}. */
  public static BuildPlan read(Path addonDir, Overrides overrides, Map<String, String> env) {
    Path dir = addonDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(List.of(ConfigProblem.at(SourcePos.of(addonDir.toString()), "",
          "app directory " + dir + " does not exist")));
    }
    Problems problems = new Problems();
    TypedYaml r = new TypedYaml(problems);
    List<String> notes = new ArrayList<>();

    Path configFile = first(dir, CONFIG_FILES).orElseThrow(() -> new ConfigException(List.of(ConfigProblem.at(
        SourcePos.of(addonDir.toString()), "", "no config.yaml (or config.json) in " + dir
            + "; is this a Home Assistant app directory?"))));
    YamlNode configNode = YamlReader.readFile(configFile, display(addonDir, configFile));
    AddonInfo info = info(r, configNode);

    MapNode build = null;
    Optional<Path> buildFile = first(dir, BUILD_FILES);
    // messages name the file the add-on has: build.yaml, build.yml or the legacy build.json
    String buildName = buildFile.map(f -> f.getFileName().toString()).orElse("build.yaml");
    if (buildFile.isPresent()) {
      build = r.map(YamlReader.readFile(buildFile.get(), display(addonDir, buildFile.get())), buildName,
          "a mapping (build_from, labels, args)");
      notes.add(display(addonDir, buildFile.get()) + ": Home Assistant deprecated " + buildFile.get().getFileName()
          + " (its builder no longer reads it): move build_from into the Dockerfile's FROM and labels into LABEL, "
          + "then delete it; graft still reads it and ignores the Dockerfile meanwhile");
    }
    Optional<Path> graftFile = first(dir, List.of("graft.yaml", "graft.yml"));
    YamlNode graftNode = graftFile.isPresent() ? YamlReader.readFile(graftFile.get(), display(addonDir, graftFile.get()))
        : new MapNode(configNode.pos(), Map.of());
    MapNode graft = r.map(graftNode, "graft.yaml", "a mapping");
    problems.throwIfAny();

    Map<String, String> withEpoch = SourceDate.withEpoch(env, dir, notes);
    Overrides own = appOverrides(overrides, info, (MapNode) configNode, notes);
    MapNode tree = withAddonDefaults(r, graft, (MapNode) configNode, build, buildName, info, notes, overrides);
    if (build != null && tree.get("layers") == null) {
      // a legacy add-on's Dockerfile is not read: without graft.yaml's layers the image is the base alone
      notes.add("add-on '" + info.name() + "' has " + (graftFile.isPresent() ? "no layers in "
          + graftFile.get().getFileName() : "no graft.yaml") + ", so its image would be the base with labels only, "
          + "nothing of the add-on's own (with " + buildName + " graft does not read the Dockerfile); add a graft.yaml "
          + "beside config.yaml with the layers (node, node_modules, the app's files): see docs/graft-yaml.md");
    }
    tree = new OverrideApplier(r).apply(tree, own);
    DockerfileOptions opts = DockerfileOptions.read(r, tree.get("dockerfile"));
    tree = tree.without("dockerfile");
    problems.throwIfAny();

    Optional<AppDockerfile> dockerfile = Optional.empty();
    if (build == null) {
      dockerfile = AppDockerfile.read(dir, addonDir.toString(), opts, info.version(), r);
    } else if (graft.get("dockerfile") != null || !opts.args().isEmpty()) {
      notes.add("dockerfile: settings and --build-arg are not used: with " + buildFile.get().getFileName()
          + " graft reads no Dockerfile");
    }
    problems.throwIfAny();
    AppShare app = new AppShare(info, configNode, dockerfile, build != null, epoch(withEpoch), env,
        opts.args().keySet());
    return GraftConfig.plan(tree, dir, Overrides.NONE, withEpoch, notes, app);
  }

  private static java.time.Instant epoch(Map<String, String> env) {
    try {
      return java.time.Instant.ofEpochSecond(Long.parseLong(env.getOrDefault("SOURCE_DATE_EPOCH", "").strip()));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return BuildPlan.DEFAULT_EPOCH; // a bad value is reported by the plan
    }
  }

  /**
   * The flags as an app reads them: {@code --to NAME} names the app's image like config.yaml's
   * {@code image} (per-arch images and the generic index); the version is always a tag, {@code --tag}
   * adds to it; asking for an arch HA dropped gets a warning.
   */
  private static Overrides appOverrides(Overrides o, AddonInfo info, MapNode config, List<String> notes) {
    List<Overrides.Setting> to = new ArrayList<>();
    for (Overrides.Setting s : o.to()) {
      for (YamlNode n : AppTargets.of(s.value(), SourcePos.of(s.origin()))) {
        to.add(new Overrides.Setting(((Scalar) n).text(), s.origin()));
      }
    }
    List<Overrides.Setting> tags = new ArrayList<>();
    if (!o.tags().isEmpty()) {
      tags.add(new Overrides.Setting(info.version(), "config.yaml version"));
      o.tags().stream().filter(t -> !t.value().equals(info.version())).forEach(tags::add);
    }
    for (Overrides.Setting p : o.platforms()) {
      try {
        HaArch.fromPlatform(Platforms.parse(p.value())).filter(a -> !a.supported()).ifPresent(a -> notes.add(
            "warning: " + p.origin() + ": Home Assistant dropped " + a.haName() + " in late 2025 (HA installs "
                + "only amd64 and aarch64 images now); building it anyway"));
      } catch (IllegalArgumentException e) {
        // the plan reports the bad platform
      }
    }
    return new Overrides(to, tags, o.platforms(), o.base(), o.index(), o.sets());
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

  /** graft.yaml's tree with the app's values filled in where graft.yaml says nothing. */
  private static MapNode withAddonDefaults(TypedYaml r, MapNode graft, MapNode c, MapNode build, String buildName,
      AddonInfo info, List<String> notes, Overrides flags) {
    MapNode tree = graft;
    if (tree.get("platforms") == null) {
      tree = tree.with("platforms", c.entries().get("arch").keyPos(), platforms(r, c, info, notes, flags));
    }
    if (tree.get("to") == null && c.get("image") != null) {
      Scalar image = (Scalar) c.get("image");
      tree = tree.with("to", c.entries().get("image").keyPos(),
          new ListNode(image.pos(), AppTargets.of(image.text(), image.pos())));
    }
    YamlNode v = c.get("version");
    List<YamlNode> tags = new ArrayList<>(List.of(v));
    if (tree.get("tags") instanceof ListNode own) {
      own.items().stream().filter(t -> !(t instanceof Scalar s && s.text().equals(info.version()))).forEach(tags::add);
    }
    if (tree.get("tags") == null || tree.get("tags") instanceof ListNode) {
      tree = tree.with("tags", tree.get("tags") == null ? c.entries().get("version").keyPos()
          : tree.entries().get("tags").keyPos(), new ListNode(v.pos(), tags));
    }
    if (tree.get("compression") == null && !(tree.get("format") instanceof Scalar f && f.text().equals("docker"))) {
      // graft.yaml's compressionLevel keeps its level: the app default gives the algorithm alone then
      String compression = tree.get("compressionLevel") == null ? APP_COMPRESSION
          : APP_COMPRESSION.substring(0, APP_COMPRESSION.indexOf(':'));
      tree = tree.with("compression", c.pos(), new Scalar(SourcePos.of("the app default (" + APP_COMPRESSION
          + ", as Home Assistant's builder writes)"), YamlNode.ScalarType.STRING, compression));
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

  /**
   * The platforms an app builds by default: its arches that Home Assistant still supports, in
   * config.yaml's order; the dropped ones are named in a note (or, when nothing is left, an error
   * that says how to build them anyway).
   */
  private static ListNode platforms(TypedYaml r, MapNode c, AddonInfo info, List<String> notes, Overrides flags) {
    ListNode arch = (ListNode) c.get("arch");
    List<YamlNode> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (YamlNode n : arch.items()) {
      Optional<HaArch> a = n instanceof Scalar s ? HaArch.fromHaName(s.text()) : Optional.empty();
      if (a.isPresent() && a.get().supported()) {
        kept.add(n);
      } else if (a.isPresent()) {
        dropped.add(a.get().haName());
      }
    }
    if (!dropped.isEmpty() && flags.platforms().isEmpty()) {
      if (kept.isEmpty()) {
        r.problem(arch, "arch", "the app's arch list (" + String.join(", ", dropped) + ") has none of the arches "
            + "Home Assistant still supports (amd64, aarch64; armhf, armv7 and i386 were dropped in late 2025): add "
            + "them, or build the old ones anyway with --platform " + dropped.get(0));
      } else {
        notes.add(arch.pos() + ": not building " + String.join(", ", dropped) + ": Home Assistant dropped it in late "
            + "2025 (build it anyway with --platform " + dropped.get(0) + ")");
      }
    }
    return new ListNode(arch.pos(), kept.isEmpty() ? arch.items() : kept);
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
