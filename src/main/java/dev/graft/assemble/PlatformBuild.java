package dev.graft.assemble;

import dev.graft.config.BuildPlan;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.ManifestFormat;
import dev.graft.config.PlatformPlan;
import dev.graft.fs.ContentSpool;
import dev.graft.fs.FileTree;
import dev.graft.layer.ContentSource;
import dev.graft.layer.Layer;
import dev.graft.layer.LayerCache;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LayerOptions;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import dev.graft.verify.ImageVerifier;
import dev.graft.verify.Report;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.image.VerifyTrace;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.OtherImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The steps for one platform, in order: resolve base (and builder), read their filesystems,
 * select and write each layer, compose the config, verify the merged result, make the manifest.
 * Nothing is written to any target here. Each failure names its step, platform and layer.
 */
final class PlatformBuild {
  private final BuildPlan plan;
  private final PlatformPlan pp;
  private final ImageSource baseSource;
  private final ImageSource builderSource; // null without a builder
  private final BuildOptions options;
  private final BuildListener listener;

  PlatformBuild(BuildPlan plan, PlatformPlan pp, ImageSource baseSource, ImageSource builderSource,
      BuildOptions options, BuildListener listener) {
    this.plan = plan;
    this.pp = pp;
    this.baseSource = baseSource;
    this.builderSource = builderSource;
    this.options = options;
    this.listener = listener;
  }

  AssembledImage run() throws IOException {
    Platform p = pp.platform();
    LayerCache cache = new LayerCache(options.cacheDir());
    dev.graft.fs.FileTreeCache trees = new dev.graft.fs.FileTreeCache(options.cacheDir());
    // Local directories are walked (and their changed files hashed) while the images are resolved
    // and read: a rebuild's walk and its registry round trips then overlap, and its local layers
    // are placed and written at once onto the base tree of the last build (LocalLayers).
    try (LocalLayers local = LocalLayers.start(pp, options.cacheDir(), cache, trees, this::layerOptions)) {
      return run(p, cache, trees, local);
    }
  }

  private AssembledImage run(Platform p, LayerCache cache, dev.graft.fs.FileTreeCache trees, LocalLayers local)
      throws IOException {
    ResolvedImage base = step("resolve base", pp.base().toString(), () -> new ResolveImage(baseSource, p).run());
    ResolvedImage builder = builderSource == null ? null
        : step("resolve builder", builderSource.ref().toString(), () -> new ResolveImage(builderSource, p).run());
    // The builder's files are read only when a selection is not cached (or its bytes are needed).
    Lazy<FileTree> builderTree = new Lazy<>(() -> builder == null
        ? null
        : step("read builder", builder.source().ref().toString(), () -> trees.read(builder.source(),
            builder.manifest(), builder.config().diffIds())));
    SelectionCache selections = new SelectionCache(options.cacheDir());
    if (firstLayerNeedsBuilder(builder, base, selections)) {
      Thread prefetch = new Thread(() -> {
        try {
          builderTree.get();
        } catch (RuntimeException e) {
          // the same failure is met (and reported) where the tree is used
        }
      }, "graft-read-builder");
      prefetch.setDaemon(true);
      prefetch.start(); // while the base is read
    }
    FileTree baseTree = step("read base", pp.base().toString(),
        () -> trees.read(base.source(), base.manifest(), base.config().diffIds()));
    boolean guessesHold = local.guessesHold(base.manifest(), base.config().diffIds());

    Path spoolDir = Files.createDirectories(options.workDir().resolve("spool"));
    List<ContentSpool> spools = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService writers = null;
    try {
      // 1. Select every layer's entries, taking selections and layers from the caches where they
      //    hold. Local directories first (pass 0): their selection depends on nothing other layers
      //    add, so their hashing and compression run while the builder is still read and its
      //    closure worked out. Image layers then in order (pass 1): a closure skips what the
      //    layers before it add.
      int count = pp.layers().size();
      SelectedLayer[] slots = new SelectedLayer[count];
      java.util.Map<Integer, java.util.concurrent.Future<Layer>> pending = new java.util.HashMap<>();
      for (int pass = 0; pass < 2; pass++) for (int index = 0; index < count; index++) {
        LayerSpec spec = pp.layers().get(index);
        if ((pass == 0) != (spec.source() instanceof LayerSource.Directory)) {
          continue;
        }
        java.util.Set<String> grafted = new java.util.HashSet<>();
        for (int j = 0; j < index; j++) {
          if (slots[j] != null) {
            slots[j].entries().forEach(e -> grafted.add(e.path()));
          }
        }
        String layerWhere = "layer '" + spec.name() + "' (" + spec.origin() + ")";
        String sourceName = spec.source() instanceof LayerSource.Base ? "base image " + pp.base()
            : spec.source() instanceof LayerSource.Builder ? "builder image " + pp.builder().orElseThrow() : "";
        List<String> builderEnv = builder == null ? List.of() : builder.config().env();
        java.util.Set<String> earlier = java.util.Set.copyOf(grafted);
        dev.graft.layer.HostFileHashes hashes = local.hashes(index);
        java.util.concurrent.Callable<List<LayerEntry>> walked = local.walked(index);
        List<List<LayerEntry>> before = new ArrayList<>();
        for (int j = 0; j < index; j++) {
          if (slots[j] != null) {
            before.add(slots[j].entries());
          }
        }
        if (spec.source() instanceof LayerSource.Npm npm) {
          List<String> imageEnv = env(base);
          NpmLayer.Made made = step("lay out npm packages of " + layerWhere, npm.lockfile().getFileName().toString(),
              () -> NpmLayer.make(spec, npm, p, baseTree, before, imageEnv, options.cacheDir(),
                  options.transfer().registry().retry(), System.getenv()));
          listener.npmInstalled(p, spec.name(), made.install(), made.libc());
          LayerOptions nlo = layerOptions(spec);
          SelectedLayer s = new SelectedLayer(spec, layerWhere, made.entries(), NpmNotes.of(spec, made), nlo,
              dev.graft.layer.HostFileHashes.none(), cachedLayer(cache, layerWhere, made.entries(), nlo).orElse(null));
          slots[index] = s;
          if (s.cached() != null) {
            listener.layerWritten(p, added(s, s.cached(), cache));
            continue;
          }
          if (writers == null) {
            writers = newWriters();
          }
          pending.put(index, writers.submit(() -> {
            Layer l = step("write " + s.where(), null, () -> cache.getOrWrite(s.entries(), s.options()));
            listener.layerWritten(p, added(s, l, cache));
            return l;
          }));
          continue;
        }
        Lazy<SelectedFiles> select = new Lazy<>(() -> {
          FileTree source = spec.source() instanceof LayerSource.Base ? baseTree
              : spec.source() instanceof LayerSource.Builder ? builderTree.get() : null;
          SelectedFiles sel = step("select files of " + layerWhere, null,
              () -> new SelectFiles(spec, source, sourceName, baseTree, p, builderEnv, spoolDir, earlier, hashes,
                  walked, "base image " + pp.base()).run());
          if (sel.spool() != null) {
            spools.add(sel.spool());
          }
          return sel;
        });
        LayerOptions lo = layerOptions(spec);
        PrunePrebuilds prune = PrunePrebuilds.of(spec, p, baseTree, before, env(base));
        List<LayerEntry> entries = null;
        List<Finding> notes = List.of();
        Layer layer = null;
        String selectionKey = null;
        ResolvedImage sourceImage = spec.source() instanceof LayerSource.Base ? base
            : spec.source() instanceof LayerSource.Builder ? builder : null;
        if (sourceImage != null) {
          selectionKey = SelectionCache.key(spec, sourceImage.manifestBlob().digest(),
              sourceImage.configBlob().digest(), base.manifestBlob().digest(), p, earlier);
          Lazy<java.util.Map<String, ContentSource>> byIdentity = new Lazy<>(() -> {
            java.util.Map<String, ContentSource> m = new java.util.HashMap<>();
            select.get().entries().stream().filter(e -> e.content() != null)
                .forEach(e -> m.putIfAbsent(e.content().identity(), e.content()));
            return m;
          });
          Optional<SelectionCache.Hit> cached = selections.lookup(selectionKey, id -> new DeferredContent(id, byIdentity));
          if (cached.isPresent()) {
            List<LayerEntry> kept = prune.apply(cached.get().entries());
            Optional<Layer> hit = cachedLayer(cache, layerWhere, kept, lo);
            if (hit.isPresent()) {
              entries = kept;
              notes = prune.notes(cached.get().notes());
              layer = hit.get();
            }
          }
        }
        // a guessed layer was written unpruned: with prune: platform it is selected again
        List<LayerEntry> guessed = guessesHold && !prune.active() ? local.guessedEntries(index) : null;
        if (entries == null && guessed != null) {
          entries = step("select files of " + layerWhere, null, () -> guessed);
        } else if (entries == null) {
          SelectedFiles sel = select.get();
          entries = sel.entries();
          notes = sel.notes();
          if (selectionKey != null && !entries.isEmpty()) {
            selections.store(selectionKey, entries, notes);
          }
          entries = prune.apply(entries);
          notes = prune.notes(notes);
        }
        if (entries.isEmpty()) {
          continue; // only optional paths, none present: no empty layer
        }
        if (layer == null && sourceImage != null) {
          List<LayerEntry> lookFor = entries; // identities are names: no content is read
          layer = cachedLayer(cache, layerWhere, lookFor, lo).orElse(null);
        }
        SelectedLayer s = new SelectedLayer(spec, layerWhere, entries, notes, lo, hashes, layer);
        slots[index] = s;
        if (layer != null) {
          hashes.save();
          listener.layerWritten(p, added(s, layer, cache));
          continue;
        }
        // 2. A layer the cache lacks is written at once, while later layers are selected and while
        //    verification reads the same entries (each layer's bytes depend on its entries only).
        if (writers == null) {
          writers = newWriters();
        }
        int at = index;
        pending.put(index, writers.submit(() -> {
          // a local directory's files are hashed here for the cache key; a hit writes nothing
          Layer l = step("write " + s.where(), null, () -> {
            Layer early = guessed == null ? null : local.guessedLayer(at);
            return early != null ? early : cache.getOrWrite(s.entries(), s.options(),
                (bytes, total) -> listener.layerProgress(p, s.spec().name(), bytes, total));
          });
          s.hashes().save();
          listener.layerWritten(p, added(s, l, cache));
          return l;
        }));
      }
      List<SelectedLayer> selected = java.util.Arrays.stream(slots).filter(java.util.Objects::nonNull).toList();

      Optional<Report> report = Optional.empty();
      if (options.verify() != VerifyMode.OFF) {
        // Env, entrypoint and cmd do not depend on the layers: the config without them tells verification enough.
        Blob preliminary = new ComposeConfig(base.config(), pp.config(), List.of(), plan.epoch(),
            MediaTypes.OCI_CONFIG).run();
        List<List<LayerEntry>> entriesByLayer = selected.stream().map(SelectedLayer::entries).toList();
        Report verdict = step("verify", null, () -> verify(baseTree, entriesByLayer, preliminary, spoolDir,
            builder, builderTree));
        // what closure: auto decided about the base's libraries joins the verdict, so it is said once
        List<Finding> all = new ArrayList<>(verdict.findings());
        selected.forEach(s -> all.addAll(s.notes()));
        report = Optional.of(new Report(verdict.subject(), all));
      }
      List<AddedLayer> added = new ArrayList<>();
      for (int index = 0; index < count; index++) {
        SelectedLayer s = slots[index];
        if (s != null) {
          added.add(added(s, s.cached() != null ? s.cached() : await(pending.get(index)), cache));
        }
      }
      report.ifPresent(r -> listener.verified(p, r));
      Blob config = step("compose config", null, () -> new ComposeConfig(base.config(), pp.config(), added,
          plan.epoch(), plan.format() == ManifestFormat.DOCKER ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG).run());
      Blob manifest = manifest(base, added, config);
      return new AssembledImage(p, base, added, config, manifest, report);
    } finally {
      if (writers != null) {
        writers.shutdownNow();
        try {
          writers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (spools) {
        for (ContentSpool s : spools) {
          s.close();
        }
      }
    }
  }

  private static java.util.concurrent.ExecutorService newWriters() {
    return java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "graft-layer-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** The environment the image will run with: the base's, with graft.yaml's config.env over it. */
  private List<String> env(ResolvedImage base) {
    java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
    for (String e : base.config().env()) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        env.put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    env.putAll(pp.config().env());
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  /** Whether the first layer takes files from the builder and no earlier build selected them. */
  private boolean firstLayerNeedsBuilder(ResolvedImage builder, ResolvedImage base, SelectionCache selections) {
    if (builder == null || pp.layers().isEmpty() || !(pp.layers().get(0).source() instanceof LayerSource.Builder)) {
      return false;
    }
    return !selections.has(SelectionCache.key(pp.layers().get(0), builder.manifestBlob().digest(),
        builder.configBlob().digest(), base.manifestBlob().digest(), pp.platform(), java.util.Set.of()));
  }

  /** The layer cache's layer for these entries, if any (reads no content; hashes host files once). */
  private Optional<Layer> cachedLayer(LayerCache cache, String layerWhere, List<LayerEntry> entries, LayerOptions lo) {
    try {
      return cache.lookup(entries, lo);
    } catch (IOException | RuntimeException e) {
      throw new BuildException("write " + layerWhere, pp.platform().toString(), e);
    }
  }

  /** One layer after selection: its entries, and its cached layer when the cache had it. */
  private record SelectedLayer(LayerSpec spec, String where, List<LayerEntry> entries, List<Finding> notes, LayerOptions options,
      dev.graft.layer.HostFileHashes hashes, Layer cached) {}

  private AddedLayer added(SelectedLayer s, Layer layer, LayerCache cache) {
    return new AddedLayer(s.spec().name(), historySource(s.spec().source()), withMediaType(layer),
        s.cached() != null || !cache.wrote(layer.digest()));
  }

  /** The result of a layer write; its failure as thrown by the write (already naming step and layer). */
  static <T> T await(java.util.concurrent.Future<T> f) throws IOException {
    return dev.graft.oci.Futures.await(f, "build");
  }

  /**
   * What the history entry says a layer came from. Never a host path: the same app built in
   * another directory (or on another machine) must give the same config and digest.
   */
  static String historySource(LayerSource source) {
    if (source instanceof LayerSource.Npm npm) {
      return "npm " + npm.lockfile().getFileName();
    }
    if (source instanceof LayerSource.Directory d) {
      Path name = d.dir().getFileName();
      return "local directory " + (name == null ? "/" : name.toString());
    }
    return source.toString();
  }

  private Report verify(FileTree baseTree, List<List<LayerEntry>> entries, Blob configBlob, Path spoolDir,
      ResolvedImage builder, Lazy<FileTree> builderTree) throws IOException {
    dev.graft.oci.ImageConfig config = dev.graft.oci.ImageConfig.parse(configBlob);
    // The base's libraries and loader config are spooled in one pass over each base layer, so the
    // loader emulation does not stream a whole layer per library it opens.
    // The builder is where a finding says a missing or too old library can be found; its files
    // are read only if a finding asks (and then each layer once, by TreeImageFiles.of).
    List<TreeImageFiles> opened = new ArrayList<>();
    List<OtherImage> lookIn = new ArrayList<>();
    List<String> lookInKey = new ArrayList<>();
    if (builder != null) {
      String name = "builder " + builder.source().ref();
      lookInKey.add(name + "\0" + builder.manifestBlob().digest());
      lookIn.add(new OtherImage(name, () -> {
        TreeImageFiles files = TreeImageFiles.of(builderTree.get());
        opened.add(files);
        return Optional.of(ImageContext.of(files, pp.platform(), builder.config().env()));
      }));
    }
    try (ContentSpool baseSpool = new ContentSpool(baseTree, spoolDir)) {
      baseSpool.register(baseTree.walk("/").filter(n -> n.isRegular() && readByVerification(n.path())).toList());
      return verify(TreeImageFiles.overlay(baseTree, entries, baseSpool), config, lookIn, lookInKey);
    } finally {
      opened.forEach(TreeImageFiles::close);
    }
  }

  /**
   * The base's files verification reads (libraries, loader configuration, addons, package.json,
   * node's version header): spooled in one pass over each base layer, where reading them one by one
   * would stream a layer per file (a node image as base holds hundreds of package.json files).
   */
  static boolean readByVerification(String path) {
    return SelectFiles.likelyLoaded(path) || path.endsWith("/package.json") || path.endsWith(".node")
        || path.endsWith("/include/node/node_version.h");
  }

  /**
   * The verification report, reused from an earlier build when this image answers every question
   * that verification asked in the same way (a rebuild that changed only app files) and the images
   * it looks in are the same, else made now.
   */
  private Report verify(TreeImageFiles files, dev.graft.oci.ImageConfig config, List<OtherImage> lookIn,
      List<String> lookInKey) throws IOException {
    List<String> command = ImageVerifier.command(config);
    String subject = pp.platform().toString();
    VerifyCache cache = new VerifyCache(options.cacheDir());
    String key = VerifyCache.key(pp.platform(), command, config.env(), lookInKey);
    Optional<Report> cached = cache.lookup(key, files, subject);
    if (cached.isPresent()) {
      listener.stepStarted(pp.platform(), "verify: reusing the report of an earlier build", "(nothing it checked has changed)");
      return cached.get();
    }
    VerifyTrace.Recorder recorder = new VerifyTrace.Recorder(files);
    Report report = ImageVerifier.verify(ImageContext.of(recorder, pp.platform(), config.env()).withLookIn(lookIn),
        command, subject);
    Optional<VerifyTrace> trace = recorder.trace();
    if (trace.isPresent()) {
      cache.store(key, trace.get(), report);
    }
    return report;
  }

  private Blob manifest(ResolvedImage base, List<AddedLayer> added, Blob config) {
    boolean docker = plan.format() == ManifestFormat.DOCKER;
    List<Descriptor> layers = new ArrayList<>(base.manifest().layers().stream()
        // in OCI manifests a base layer's annotations stay: zstd:chunked and eStargz tables of contents
        // are found by them (Docker's schema 2 has no layer annotations)
        .map(d -> new Descriptor(docker ? dockerLayerType(base, d) : d.mediaType(), d.digest(), d.size())
            .withAnnotations(docker ? java.util.Map.of() : d.annotations())).toList());
    added.forEach(a -> layers.add(a.layer().descriptor()));
    return new Manifest(docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST, config.descriptor(), layers,
        java.util.Map.of()).toBlob();
  }

  /** A base layer under its Docker name: podman refuses a Docker manifest listing OCI layer types. */
  private String dockerLayerType(ResolvedImage base, Descriptor d) {
    String type = MediaTypes.asDockerLayer(d.mediaType());
    if (type == null) {
      throw new BuildException("compose manifest", pp.platform().toString(), "base " + base.source().ref()
          + " has layer " + d.digest() + " of type " + d.mediaType() + ", which Docker manifests cannot hold"
          + " (gzip layers only); use format: oci");
    }
    return type;
  }

  private LayerOptions layerOptions(LayerSpec spec) {
    Compression compression = spec.compression().orElse(plan.compression());
    if (plan.format() == ManifestFormat.DOCKER && compression != Compression.GZIP) {
      throw new BuildException("write layer '" + spec.name() + "'", pp.platform().toString(),
          "Docker manifests hold gzip layers only; use format: oci for "
              + compression.name().toLowerCase(java.util.Locale.ROOT));
    }
    return LayerOptions.of(compression, plan.levelFor(compression)).withMtime(plan.epoch().getEpochSecond())
        .withThreads(options.threads());
  }

  private Layer withMediaType(Layer layer) {
    if (plan.format() != ManifestFormat.DOCKER) {
      return layer;
    }
    return new Layer(layer.diffId(), layer.digest(), layer.compressedSize(), MediaTypes.DOCKER_LAYER_GZIP, layer.blob());
  }

  /** Runs one step, wrapping its failure as "failed to STEP for PLATFORM[ (DETAIL)]: cause". */
  private <T> T step(String name, String detail, Callable<T> body) {
    listener.stepStarted(pp.platform(), name, detail == null ? "" : detail);
    try {
      return body.call();
    } catch (BuildException e) {
      throw e;
    } catch (Exception e) {
      throw new BuildException(name, pp.platform() + (detail == null ? "" : " (" + detail + ")"), e);
    }
  }

  /**
   * The content of a file of a cached selection, named by its identity; the bytes come from the
   * selection made again (reading the source image) only if something reads them.
   */
  private record DeferredContent(String identity, Lazy<java.util.Map<String, ContentSource>> byIdentity)
      implements ContentSource {
    private ContentSource real() {
      ContentSource c = byIdentity.get().get(identity);
      if (c == null) {
        throw new IllegalStateException("the cached selection names content " + identity
            + " that selecting again did not give; delete the graft cache's select/ directory");
      }
      return c;
    }

    @Override
    public java.io.InputStream open() throws IOException {
      return real().open();
    }

    @Override
    public Optional<java.nio.channels.SeekableByteChannel> openChannel() throws IOException {
      return real().openChannel();
    }
  }
}
