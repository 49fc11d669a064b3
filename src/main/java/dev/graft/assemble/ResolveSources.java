package dev.graft.assemble;

import dev.graft.config.PlatformPlan;
import dev.graft.fs.FileTree;
import dev.graft.fs.FileTreeCache;
import dev.graft.fs.KeptContents;
import dev.graft.oci.ImageSource;
import java.util.Optional;

/**
 * Phase "resolve": the base's (and the builder's) manifest and config for this platform, with
 * their file trees ready to be read from the tree cache or the images on first use.
 */
record ResolveSources(PlatformPlan plan, ImageSource baseSource, Optional<ImageSource> builderSource,
    FileTreeCache trees, ManifestMemo memo, Spools spools, Steps steps) {
  ResolvedSources run() {
    ResolvedImage base = steps.run("resolve base", plan.base().toString(),
        () -> new ResolveImage(baseSource, plan.platform(), memo).run());
    Optional<ResolvedImage> builder = builderSource.map(source -> steps.run("resolve builder", source.ref().toString(),
        () -> new ResolveImage(source, plan.platform(), memo).run()));
    Lazy<FileTree> baseTree = new Lazy<>(() -> steps.run("read base", plan.base().toString(),
        () -> trees.read(base.source(), base.manifest(), base.config().diffIds())));
    Lazy<FileTree> builderTree = new Lazy<>(() -> builder.isEmpty() ? null
        : steps.run("read builder", builder.get().source().ref().toString(), () -> trees.read(builder.get().source(),
            builder.get().manifest(), builder.get().config().diffIds(), keptFromBuilder())));
    return new ResolvedSources(base, builder, baseTree, builderTree);
  }

  /** The builder's files its layers will likely read, copied as its tree is read (KeepFromBuilder). */
  private KeptContents keptFromBuilder() {
    return KeepFromBuilder.wanted(plan.layers()).map(wanted -> {
      KeptContents kept = new KeptContents(wanted, spools.dir());
      spools.add(kept);
      return kept;
    }).orElse(null);
  }
}
