package dev.graft.assemble;

import dev.graft.config.BuildPlan;
import dev.graft.config.GraftConfig;
import dev.graft.config.LayerSpec;
import dev.graft.config.Overrides;
import dev.graft.config.PlatformPlan;
import dev.graft.fs.FileTreeCache;
import dev.graft.layer.LayerCache;
import dev.graft.layer.LayerOptions;
import dev.graft.layer.SharedCache;
import dev.graft.oci.ImageSource;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import dev.graft.registry.RetryPolicy;
import dev.graft.testing.AlpineImages;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import dev.graft.verify.loader.ParsedElfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One platform's build inputs for testing the phases directly, as {@link PlatformBuild} wires
 * them: a graft.yaml whose base is the Alpine 3.16 minirootfs and builder the Alpine 3.18 one (real
 * OCI layouts of the shared tarballs), its images opened, a cache and work directory of its own,
 * and a listener that records what the phases tell it.
 */
final class PhaseFixture implements AutoCloseable {
  final Path project;
  final BuildPlan plan;
  final PlatformPlan pp;
  final Path cacheDir;
  final RecordingListener listener = new RecordingListener();
  final Steps steps;
  /** The build's parsed ELF files: the closure's, reused by verification. */
  final ParsedElfs elfs = new ParsedElfs();
  final LayerCache layers;
  private final ImageSource base;
  private final ImageSource builder;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Spools spools; // made on first use, shared by resolve and the layer sources

  private PhaseFixture(Path project, BuildPlan plan, PlatformPlan pp, Path cacheDir) throws IOException {
    this.project = project;
    this.plan = plan;
    this.pp = pp;
    this.cacheDir = cacheDir;
    this.steps = new Steps(pp.platform(), listener);
    this.layers = new LayerCache(cacheDir);
    this.base = Images.open(pp.base(), TransferOptions.defaults());
    this.builder = Images.open(pp.builder().orElseThrow(), TransferOptions.defaults());
  }

  /** The Alpine layouts (base 3.16, builder 3.18), written once under {@code images}. */
  static void images(Path images) {
    if (!Files.isDirectory(images.resolve("base"))) {
      AlpineImages.layout(images.resolve("base"), "3.16");
      AlpineImages.layout(images.resolve("builder"), "3.18");
    }
  }

  /**
   * A project in {@code dir} (local directories are made there by the caller) whose graft.yaml has
   * these {@code layers:} (YAML list items) and {@code config:}, built for {@code platform} with a
   * cache in {@code cache}.
   */
  static PhaseFixture of(Path images, Path dir, Path cache, Platform platform, String layers, String config)
      throws IOException {
    images(images);
    Files.createDirectories(dir);
    String yaml = "base: oci:" + images.resolve("base") + ":3.16\n"
        + "builder: oci:" + images.resolve("builder") + ":3.18\n"
        + "platforms: [" + platform + "]\n"
        + "layers:\n" + layers.indent(2)
        + "config:\n" + config.indent(2);
    BuildPlan plan = GraftConfig.parse("graft.yaml", yaml, dir, Overrides.NONE, Map.of());
    return new PhaseFixture(dir, plan, plan.platforms().get(0), cache);
  }

  /** Phase "resolve" on this fixture's images. */
  ResolvedSources resolve() throws IOException {
    return new ResolveSources(pp, base, Optional.of(builder), new FileTreeCache(cacheDir), ManifestMemo.in(cacheDir),
        spools(), steps).run();
  }

  /** The platform's spool directory, as {@link PlatformBuild} makes it (one per fixture). */
  private Spools spools() throws IOException {
    if (spools == null) {
      spools = keep(Spools.in(Files.createDirectories(cacheDir.resolveSibling("work"))));
    }
    return spools;
  }

  /** The layer sources of the plan's layers, sharing what {@link PlatformBuild} gives them. */
  List<LayerFiles> sources(ResolvedSources resolved) throws IOException {
    LocalLayers local = keep(LocalLayers.start(pp, cacheDir, layers, new FileTreeCache(cacheDir), this::options));
    local.guessesHold(resolved.base().manifest(), resolved.base().config().diffIds());
    Spools spools = spools();
    LayerInputs in = new LayerInputs(pp, resolved, ComposeConfig.env(resolved.base().config(), pp.config()), spools,
        cacheDir, new SelectionCache(cacheDir, SharedCache.NONE), local, RetryPolicy.defaults(), Map.of(), steps, listener,
        elfs);
    List<LayerFiles> out = new ArrayList<>();
    for (int i = 0; i < pp.layers().size(); i++) {
      out.add(LayerFiles.of(i, pp.layers().get(i), in));
    }
    return out;
  }

  /** Phase "select" over {@code sources}, each layer handed to {@code writes}. */
  List<SelectedLayer> select(List<LayerFiles> sources, WriteLayers writes) {
    return new SelectLayers(pp.layers(), sources, layers, this::options, steps).run(writes::start);
  }

  /** The whole platform build, all phases as {@link Builder} runs them, with this fixture's images, cache and listener. */
  PlatformBuild platformBuild(VerifyMode verify) throws IOException {
    Path work = Files.createDirectories(cacheDir.resolveSibling("work"));
    BuildOptions options = BuildOptions.defaults(cacheDir, work).withVerify(verify);
    return new PlatformBuild(plan, pp, base, builder, options, listener);
  }

  WriteLayers writes() {
    return keep(new WriteLayers(layers, plan.format(), steps, listener));
  }

  LayerOptions options(LayerSpec spec) {
    return LayerOptions.of(spec.compression().orElse(Compression.GZIP)).withMtime(plan.epoch().getEpochSecond())
        .withThreads(1);
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(0, c);
    return c;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    base.close();
    builder.close();
  }
}
