package dev.graft.assemble;

import dev.graft.config.PlatformPlan;
import dev.graft.fs.ContentSpool;
import dev.graft.fs.FileTree;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.SharedCache;
import dev.graft.oci.Blob;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.MediaTypes;
import dev.graft.verify.Finding;
import dev.graft.verify.ImageVerifier;
import dev.graft.verify.Report;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.image.VerifyTrace;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.ParsedElfs;
import dev.graft.verify.loader.OtherImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Phase "verify": the merged image (the base with the selected layers' entries on top) judged
 * before anything is written ({@link ImageVerifier}), with what the layers' sources said (closure
 * decisions, npm's selection) joined to the verdict, so each is said once. The report of an earlier
 * build is reused when this image answers every question verification asked the same way
 * ({@link VerifyCache}).
 *
 * @param shared the registry build cache a report missing in {@code cacheDir} may come from
 * @param elfs the ELF files the build's closure parsed (the same bytes are not parsed again)
 */
record VerifyImage(PlatformPlan plan, ResolvedSources sources, Instant epoch, Path spoolDir, Path cacheDir,
    SharedCache shared, ParsedElfs elfs, Steps steps) {
  Report run(List<SelectedLayer> layers) {
    // Env, entrypoint and cmd do not depend on the layers: the config without them tells verification enough.
    Blob preliminary = new ComposeConfig(sources.base().config(), plan.config(), List.of(), epoch,
        MediaTypes.OCI_CONFIG).run();
    List<List<LayerEntry>> entries = layers.stream().map(SelectedLayer::entries).toList();
    Report verdict = steps.run("verify", null, () -> verify(sources.baseTree().get(), entries,
        ImageConfig.parse(preliminary)));
    List<Finding> all = new ArrayList<>(verdict.findings());
    layers.forEach(s -> all.addAll(s.notes()));
    return new Report(verdict.subject(), all);
  }

  private Report verify(FileTree baseTree, List<List<LayerEntry>> entries, ImageConfig config) throws IOException {
    // The builder is where a finding says a missing or too old library can be found; its files
    // are read only if a finding asks (and then each layer once, by TreeImageFiles.of).
    List<TreeImageFiles> opened = new ArrayList<>();
    List<OtherImage> lookIn = new ArrayList<>();
    List<String> lookInKey = new ArrayList<>();
    if (sources.builder().isPresent()) {
      ResolvedImage builder = sources.builder().get();
      String name = "builder " + builder.source().ref();
      lookInKey.add(name + "\0" + builder.manifestBlob().digest());
      lookIn.add(new OtherImage(name, () -> {
        TreeImageFiles files = TreeImageFiles.of(sources.builderTree().get());
        opened.add(files);
        return Optional.of(ImageContext.of(files, elfs, plan.platform(), builder.config().env()));
      }));
    }
    // The base's libraries and loader config are spooled in one pass over each base layer, so the
    // loader emulation does not stream a whole layer per library it opens.
    try (ContentSpool baseSpool = new ContentSpool(baseTree, spoolDir)) {
      baseSpool.register(baseTree.walk("/").filter(n -> n.metadata().isRegular() && readByVerification(n.path()))
          .toList());
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
    return LibraryClosure.likelyLoaded(path) || path.endsWith("/package.json") || path.endsWith(".node")
        || path.endsWith("/include/node/node_version.h");
  }

  /**
   * The verification report, reused from an earlier build when this image answers every question
   * that verification asked in the same way (a rebuild that changed only app files) and the images
   * it looks in are the same, else made now.
   */
  private Report verify(TreeImageFiles files, ImageConfig config, List<OtherImage> lookIn, List<String> lookInKey)
      throws IOException {
    List<String> command = ImageVerifier.command(config);
    String subject = plan.platform().toString();
    VerifyCache cache = new VerifyCache(cacheDir, shared);
    String key = VerifyCache.key(plan.platform(), command, config.env(), lookInKey);
    Optional<Report> cached = cache.lookup(key, files, subject);
    if (cached.isPresent()) {
      steps.announce("verify: reusing the report of an earlier build", "(nothing it checked has changed)");
      return cached.get();
    }
    VerifyTrace.Recorder recorder = new VerifyTrace.Recorder(files);
    Report report = ImageVerifier.verify(ImageContext.of(recorder, elfs, plan.platform(), config.env()).withLookIn(lookIn),
        command, subject);
    Optional<VerifyTrace> trace = recorder.trace();
    if (trace.isPresent()) {
      cache.store(key, trace.get(), report);
    }
    return report;
  }
}
