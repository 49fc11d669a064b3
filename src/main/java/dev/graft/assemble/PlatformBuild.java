package dev.graft.assemble;

import dev.graft.config.BuildPlan;
import dev.graft.config.LayerSpec;
import dev.graft.config.ManifestFormat;
import dev.graft.config.PlatformPlan;
import dev.graft.fs.FileTreeCache;
import dev.graft.layer.LayerCache;
import dev.graft.layer.LayerOptions;
import dev.graft.oci.Blob;
import dev.graft.oci.ImageSource;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.verify.Report;
import dev.graft.verify.loader.ParsedElfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One platform's image, as a flat list of phases: resolve (base and builder) → read the base's
 * files → select each layer's files → write the layers the cache lacks → verify the merged result →
 * compose the config → compose the manifest. Each phase is a class of its own with its inputs in
 * the constructor and a typed result; each failure reads "failed to STEP for PLATFORM: …"
 * ({@link Steps}). Nothing is written to any target here ({@link WriteTarget} does that).
 */
final class PlatformBuild {
  private final BuildPlan plan;
  private final PlatformPlan pp;
  private final ImageSource baseSource;
  private final Optional<ImageSource> builderSource;
  private final BuildOptions options;
  private final BuildListener listener;

  PlatformBuild(BuildPlan plan, PlatformPlan pp, ImageSource baseSource, ImageSource builderSource,
      BuildOptions options, BuildListener listener) {
    this.plan = plan;
    this.pp = pp;
    this.baseSource = baseSource;
    this.builderSource = Optional.ofNullable(builderSource);
    this.options = options;
    this.listener = listener;
  }

  AssembledImage run() throws IOException {
    Steps steps = new Steps(pp.platform(), listener);
    LayerCache cache = new LayerCache(options.cacheDir(), options.shared());
    FileTreeCache trees = new FileTreeCache(options.cacheDir());
    ParsedElfs elfs = new ParsedElfs(); // node's binary: parsed by the closure, judged by verify
    // Local directories are walked (and their changed files hashed) while the images are resolved
    // and read: a rebuild's walk and its registry round trips then overlap, and its local layers
    // are placed and written at once onto the base tree of the last build (LocalLayers).
    try (LocalLayers local = LocalLayers.start(pp, options.cacheDir(), cache, trees, this::layerOptions);
        Spools spools = Spools.in(options.workDir());
        WriteLayers writes = new WriteLayers(cache, plan.format(), steps, listener)) {
      ResolvedSources sources = new ResolveSources(pp, baseSource, builderSource, trees,
          ManifestMemo.in(options.cacheDir()), spools, steps).run();
      local.guessesHold(sources.base().manifest(), sources.base().config().diffIds());
      LayerInputs inputs = new LayerInputs(pp, sources, ComposeConfig.env(sources.base().config(), pp.config()),
          spools, options.cacheDir(), new SelectionCache(options.cacheDir(), options.shared()), local,
          options.transfer().registry().retry(), System.getenv(), steps, listener, elfs);
      List<LayerFiles> files = new ArrayList<>();
      for (LayerSpec spec : pp.layers()) {
        files.add(LayerFiles.of(files.size(), spec, inputs));
      }
      if (!files.isEmpty()) {
        files.get(0).prefetch(); // the builder's files while the base's are read
      }
      sources.baseTree().get(); // read the base's files

      List<SelectedLayer> selected = new SelectLayers(pp.layers(), files, cache, this::layerOptions, steps)
          .run(writes::start);
      Optional<Report> report = options.verify() == VerifyMode.OFF ? Optional.empty()
          : Optional.of(new VerifyImage(pp, sources, plan.epoch(), spools.dir(), options.cacheDir(),
              options.shared(), elfs, steps).run(selected));
      List<AddedLayer> added = writes.finish(selected);
      report.ifPresent(r -> listener.verified(pp.platform(), r));
      Blob config = steps.run("compose config", null, () -> new ComposeConfig(sources.base().config(), pp.config(),
          added, plan.epoch(), plan.format() == ManifestFormat.DOCKER ? MediaTypes.DOCKER_CONFIG
              : MediaTypes.OCI_CONFIG).run());
      Blob manifest = new ComposeManifest(sources.base(), added, config, plan.format(), steps).run();
      return new AssembledImage(pp.platform(), sources.base(), added, config, manifest, report);
    }
  }

  private LayerOptions layerOptions(LayerSpec spec) {
    Compression compression = spec.compression().orElse(plan.compression());
    if (plan.format() == ManifestFormat.DOCKER && compression != Compression.GZIP) {
      throw new BuildException("write layer '" + spec.name() + "'", pp.platform().toString(),
          "Docker manifests hold gzip layers only; use format: oci for " + compression.name().toLowerCase(Locale.ROOT));
    }
    return LayerOptions.of(compression, plan.levelFor(compression)).withMtime(plan.epoch().getEpochSecond())
        .withThreads(options.threads());
  }
}
