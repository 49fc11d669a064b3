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

  /** {@code app} is what a Home Assistant app adds per platform under graft.yaml ({@link AppContribution#NONE} for none). */
  BuildPlan resolve(GraftSpec spec, Map<String, String> env, List<String> notes, AppContribution app) {
    List<Platform> platforms = platforms(spec);
    if (app == AppContribution.NONE && spec.base() == null && spec.root() instanceof MapNode m && m.get("base") == null
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
          checkHoldsAllPlatforms(t, ref, platforms);
          indexTargets.add(target(t, ref, spec.tags()));
        }
      }
    }
    if (spec.index() != null) {
      ImageRef ref = spec.index().resolve(r, DEFAULT_PLATFORM);
      if (ref != null && indexTargets.stream().noneMatch(t -> t.ref().equals(ref))) {
        checkHoldsAllPlatforms(spec.index(), ref, platforms);
        indexTargets.add(target(spec.index(), ref, spec.tags()));
      }
    }
    for (Platform p : platforms) {
      ConfigProblem refused = app.refusal(p);
      if (refused != null) {
        r.problem(refused.pos(), refused.key(), refused.message());
        continue;
      }
      ImageRef ownBase = spec.base() == null ? null : spec.base().resolve(r, p);
      ImageRef ownBuilder = spec.builder() == null ? null : spec.builder().resolve(r, p);
      AppContribution.Share share = app.share(p, r, ownBase, ownBuilder);
      ImageRef base = spec.base() == null ? share.base() : ownBase;
      if (spec.base() == null && base == null && share.noBase() != null) {
        r.problem(share.noBase().pos(), share.noBase().key(), share.noBase().message());
      }
      ImageRef builder = spec.builder() == null ? share.builder() : ownBuilder;
      List<LayerSpec> platformLayers = layers == null ? null : merged(layers, share.layers());
      if (platformLayers != null && builder == null) {
        for (LayerSpec l : platformLayers) {
          if (l.source() instanceof LayerSource.Builder) {
            r.problem(l.origin(), "builder", "layer '" + l.name() + "' takes files from the builder, but no builder "
                + "image is set: add 'builder:' (e.g. builder: node:18-alpine3.16)");
          }
        }
      }
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
        ImageConfigSpec config = spec.config().over(share.config());
        plans.add(new PlatformPlan(p, base, Optional.ofNullable(builder), platformLayers, config, targets));
      }
    }
    r.problems.throwIfAny();
    List<String> allNotes = new ArrayList<>(notes);
    app.closingNotes().stream().filter(n -> !allNotes.contains(n)).forEach(allNotes::add);
    return new BuildPlan(plans, indexTargets, epoch, spec.format(), spec.compression(), spec.compressionLevel(), allNotes);
  }

  /**
   * graft.yaml's layers, then the app's; a graft.yaml layer named like one of the app's takes that
   * layer's place instead (how graft.yaml overrides a Dockerfile's COPY).
   */
  static List<LayerSpec> merged(List<LayerSpec> own, List<LayerSpec> app) {
    if (app.isEmpty()) {
      return own;
    }
    java.util.Set<String> appNames = new java.util.HashSet<>();
    app.forEach(l -> appNames.add(l.name()));
    List<LayerSpec> out = new ArrayList<>();
    own.stream().filter(l -> !appNames.contains(l.name())).forEach(out::add);
    for (LayerSpec l : app) {
      out.add(own.stream().filter(o -> o.name().equals(l.name())).findFirst().orElse(l));
    }
    return out;
  }

  /**
   * A target written once for all platforms must hold an index: a docker-archive holds one
   * platform, so a multi-platform build to one is refused here, before anything is built.
   */
  private void checkHoldsAllPlatforms(RefTemplate t, ImageRef ref, List<Platform> platforms) {
    if (ref instanceof ImageRef.DockerArchive && platforms.size() > 1) {
      r.problem(t.node() == null ? SourcePos.of(t.key()) : t.node().pos(), t.key(), ref + " holds one platform (docker load "
          + "reads no index), but this build makes " + platforms.size() + " ("
          + String.join(", ", platforms.stream().map(Platform::toString).toList()) + "): build one with --platform, "
          + "put {arch} in the file name for one archive per platform, or write an oci-archive or a registry");
    }
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
