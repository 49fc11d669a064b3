package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a checked {@link GraftSpec} into a {@link BuildPlan}: picks the platforms, expands
 * recipes, substitutes {@code {arch}} and parses every ref per platform, and reads
 * {@code SOURCE_DATE_EPOCH}. Problems are collected, not thrown one by one.
 */
final class PlanResolver {
  static final Platform DEFAULT_PLATFORM = Platform.LINUX_AMD64;

  private final TypedYaml r;

  PlanResolver(TypedYaml r) {
    this.r = r;
  }

  /**
   * {@code extraLabels} adds per-platform labels under the user's (HA's io.hass.arch); may return
   * an empty map. {@code refusal} says why a platform cannot be built (an HA add-on's arch list),
   * or null when it can.
   */
  BuildPlan resolve(GraftSpec spec, Map<String, String> env, List<String> notes,
      Function<Platform, Map<String, String>> extraLabels, Function<Platform, ConfigProblem> refusal) {
    List<Platform> platforms = platforms(spec);
    if (spec.base() == null && spec.root() instanceof MapNode m && m.get("base") == null
        && !Keys.hasTypoOf(m, "base", Keys.TOP)) {
      r.problem(spec.root().pos(), "base", "no base image: add 'base:' (e.g. base: node:18-alpine, or "
          + "ghcr.io/home-assistant/{arch}-base:3.15) or pass --base");
    }
    List<LayerSpec> layers = layers(spec);
    Instant epoch = epoch(env);
    List<PlatformPlan> plans = new ArrayList<>();
    List<ImageTarget> indexTargets = new ArrayList<>();
    for (RefTemplate t : spec.to()) {
      if (!t.hasArch()) {
        ImageRef ref = t.resolve(r, DEFAULT_PLATFORM);
        if (ref != null) {
          indexTargets.add(target(t, ref, spec.tags()));
        }
      }
    }
    if (spec.index() != null) {
      ImageRef ref = spec.index().resolve(r, DEFAULT_PLATFORM);
      if (ref != null) {
        indexTargets.add(target(spec.index(), ref, spec.tags()));
      }
    }
    for (Platform p : platforms) {
      ConfigProblem refused = refusal.apply(p);
      if (refused != null) {
        r.problem(refused.pos(), refused.key(), refused.message());
        continue;
      }
      ImageRef base = spec.base() == null ? null : spec.base().resolve(r, p);
      ImageRef builder = spec.builder() == null ? null : spec.builder().resolve(r, p);
      List<ImageTarget> targets = new ArrayList<>();
      for (RefTemplate t : spec.to()) {
        if (t.hasArch()) {
          ImageRef ref = t.resolve(r, p);
          if (ref != null) {
            targets.add(target(t, ref, spec.tags()));
          }
        }
      }
      if (r.problems.isEmpty()) { // records check invariants the problems above already report
        ImageConfigSpec config = spec.config().withDefaultLabels(extraLabels.apply(p));
        plans.add(new PlatformPlan(p, base, Optional.ofNullable(builder), layers, config, targets));
      }
    }
    r.problems.throwIfAny();
    return new BuildPlan(plans, indexTargets, epoch, spec.format(), spec.compression(), spec.compressionLevel(), notes);
  }

  private List<Platform> platforms(GraftSpec spec) {
    if (spec.platforms() != null) {
      return spec.platforms();
    }
    if (spec.base() != null && spec.base().platforms() != null) {
      return spec.base().platforms();
    }
    return List.of(DEFAULT_PLATFORM);
  }

  /** Recipes expanded, names unique, every builder layer backed by a builder; null after problems. */
  private List<LayerSpec> layers(GraftSpec spec) {
    List<LayerSpec> out = new ArrayList<>();
    Map<String, LayerSpec> byName = new HashMap<>();
    int before = r.problems.size();
    for (LayerItem e : spec.layers()) {
      List<LayerSpec> made = e instanceof LayerItem.Written w
          ? w.draft().apply(Map.of(), null, null, null, null).stream().toList()
          : expand((RecipeUse) e, spec.baseDir());
      for (LayerSpec l : made) {
        LayerSpec first = byName.putIfAbsent(l.name(), l);
        if (first != null) {
          r.problem(l.origin(), "layers", "duplicate layer name '" + l.name() + "' (first at " + first.origin()
              + "); give one of them another name");
        }
        if (spec.format() == ManifestFormat.DOCKER && l.compression().filter(c -> c != Compression.GZIP).isPresent()) {
          r.problem(l.origin(), "compression", "layer '" + l.name() + "' asks for "
              + l.compression().get().name().toLowerCase(java.util.Locale.ROOT) + " compression, but Docker manifests "
              + "hold gzip layers only (format: docker); use gzip or format: oci");
        }
        if (l.source() instanceof LayerSource.Builder && spec.builder() == null) {
          r.problem(l.origin(), "builder", "layer '" + l.name() + "' takes files from the builder, but no builder "
              + "image is set: add 'builder:' (e.g. builder: node:18-alpine3.16)");
        }
        out.add(l);
      }
    }
    return r.problems.size() > before ? null : out;
  }

  private List<LayerSpec> expand(RecipeUse u, Path baseDir) {
    Recipe recipe;
    try {
      if (RecipeCatalog.isFileRef(u.ref())) {
        recipe = RecipeCatalog.load(baseDir.resolve(u.ref()).normalize());
      } else {
        Optional<Recipe> builtIn = RecipeCatalog.builtIn(u.ref());
        if (builtIn.isEmpty()) {
          r.problem(u.refNode(), u.where() + ".recipe", "unknown recipe '" + u.ref() + "'"
              + Keys.suggest(u.ref(), RecipeCatalog.BUILT_IN).map(s -> " (did you mean '" + s + "'?)").orElse("")
              + "; built-in recipes: " + String.join(", ", RecipeCatalog.BUILT_IN)
              + " (a recipe file is named by a path, e.g. ./recipes/mine.yaml)");
          return List.of();
        }
        recipe = builtIn.get();
      }
    } catch (ConfigException e) {
      r.problems.addAll(e);
      r.problem(u.refNode(), u.where() + ".recipe", "recipe '" + u.ref() + "' has errors (see "
          + e.problems().get(0).file() + ")");
      return List.of();
    }
    Map<String, Boolean> params = new LinkedHashMap<>();
    if (u.with() != null) {
      for (var e : u.with().entries().entrySet()) {
        String key = u.where() + ".with." + e.getKey();
        if (recipe.param(e.getKey()).isEmpty()) {
          r.problem(e.getValue().keyPos(), key, "recipe '" + recipe.name() + "' has no parameter '" + e.getKey() + "'"
              + Keys.suggest(e.getKey(), recipe.params().stream().map(RecipeParam::name).toList())
                  .map(s -> " (did you mean '" + s + "'?)").orElse(" (it has: " + recipe.paramNames() + ")"));
          continue;
        }
        Boolean v = r.bool(e.getValue().value(), key);
        if (v != null) {
          params.put(e.getKey(), v);
        }
      }
    }
    if (u.name() != null && recipe.layers().size() != 1) {
      r.problem(u.origin(), u.where() + ".name", "recipe '" + recipe.name() + "' makes " + recipe.layers().size()
          + " layers, so 'name' cannot rename it");
      return List.of();
    }
    List<LayerSpec> layers = recipe.expand(params, u.name(), u.compression(), u.origin());
    return u.conflicts() == null ? layers
        : layers.stream().map(l -> l.closure() == ClosureMode.AUTO ? l.withConflicts(u.conflicts()) : l).toList();
  }

  private ImageTarget target(RefTemplate t, ImageRef ref, List<String> tags) {
    if (ref instanceof ImageRef.Registry reg && reg.digest() != null) {
      r.problem(t.node(), t.key(), "'" + t.key() + "' cannot be pinned by digest (" + ref + "); "
          + "a pushed image gets its digest from its content");
      return new ImageTarget(reg.withTag(reg.tag() == null ? "latest" : reg.tag()), List.of());
    }
    List<String> all = new ArrayList<>();
    explicitTag(((Scalar) t.node()).text(), ref).ifPresent(all::add);
    tags.stream().filter(x -> !all.contains(x)).forEach(all::add);
    if (all.isEmpty() && ref instanceof ImageRef.Registry reg) {
      all.add(reg.tag());
    }
    // An untagged layout or archive gets "latest" too: podman names an image by its index.json
    // entry, so two untagged platforms of one archive clash in its store ("already exists, but
    // uses a different top layer"), and umoci lists nothing untagged.
    if (all.isEmpty() && (ref instanceof ImageRef.OciLayout || ref instanceof ImageRef.OciArchive)) {
      all.add("latest");
    }
    return new ImageTarget(ref, all);
  }

  /** The tag written in the ref itself (not Docker's implied "latest"). */
  private static Optional<String> explicitTag(String text, ImageRef ref) {
    if (ref instanceof ImageRef.Registry reg) {
      String t = text.startsWith("docker://") ? text.substring("docker://".length()) : text;
      return t.lastIndexOf(':') > t.lastIndexOf('/') ? Optional.of(reg.tag()) : Optional.empty();
    }
    if (ref instanceof ImageRef.OciLayout l) {
      return Optional.ofNullable(l.tag());
    }
    if (ref instanceof ImageRef.OciArchive a) {
      return Optional.ofNullable(a.tag());
    }
    return Optional.empty();
  }

  private Instant epoch(Map<String, String> env) {
    String v = env.get("SOURCE_DATE_EPOCH");
    if (v == null || v.isBlank()) {
      return BuildPlan.DEFAULT_EPOCH;
    }
    try {
      long seconds = Long.parseLong(v.strip());
      if (seconds < 0 || seconds > 253402300799L) {
        throw new NumberFormatException();
      }
      return Instant.ofEpochSecond(seconds);
    } catch (NumberFormatException e) {
      r.problem(SourcePos.of("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH", "SOURCE_DATE_EPOCH must be whole seconds since "
          + "1970-01-01 (e.g. $(git log -1 --format=%ct)), got '" + v + "'");
      return BuildPlan.DEFAULT_EPOCH;
    }
  }
}
