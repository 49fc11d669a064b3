package dev.graft.assemble;

import dev.graft.config.BuildPlan;
import dev.graft.config.ImageTarget;
import dev.graft.config.PlatformPlan;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Digest;
import dev.graft.oci.Futures;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.supply.Attachment;
import dev.graft.supply.SupplyOptions;
import dev.graft.transfer.Attachments;
import dev.graft.transfer.BlobTally;
import dev.graft.transfer.Images;
import dev.graft.verify.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a {@link BuildPlan}: every platform's image is built and verified (a bounded number of
 * platforms at once) before anything is written; then each per-platform target gets its image and
 * each index target gets all of them under one index (a single platform is written as its
 * manifest). With strict verification, any error stops the build before the first write.
 */
public final class Builder {
  private final BuildOptions options;
  private final BuildListener listener;
  private final SupplyOptions supply;
  private final java.util.Map<dev.graft.oci.Platform, ImageSource> builders = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Attachment> attachments = java.util.Collections.synchronizedList(new ArrayList<>());

  public Builder(BuildOptions options, BuildListener listener) {
    this(options, listener, SupplyOptions.NONE);
  }

  /** {@code supply}: signatures, SBOM and provenance written with the images (see {@link SupplyStep}). */
  public Builder(BuildOptions options, BuildListener listener, SupplyOptions supply) {
    this.options = options;
    this.listener = listener;
    this.supply = supply;
  }

  public BuildResult build(BuildPlan plan) throws IOException {
    dev.graft.layer.CacheFolders.check(options.cacheDir());
    TargetPreflight.run(plan, options.transfer(), listener);
    List<ImageSource> sources = new ArrayList<>();
    try {
      List<AssembledImage> images = buildAll(plan, sources);
      List<Report> reports = images.stream().flatMap(i -> i.report().stream()).toList();
      if (options.verify() == VerifyMode.STRICT && reports.stream().anyMatch(Report::hasErrors)) {
        throw new VerificationFailedException(reports);
      }
      supplyStep = new SupplyStep(plan, supply, options.transfer(), builders);
      List<WriteTarget.Written> written = new ArrayList<>();
      for (AssembledImage img : images) {
        for (ImageTarget t : plan.platform(img.platform()).targets()) {
          written.add(write(t, List.of(img), false));
        }
      }
      Optional<Digest> indexDigest = Optional.empty();
      for (ImageTarget t : plan.indexTargets()) {
        WriteTarget.Written w = write(t, images, images.size() > 1);
        written.add(w);
        if (images.size() > 1) {
          indexDigest = Optional.of(w.result().digest());
        }
      }
      BlobTally blobs = written.stream().map(WriteTarget.Written::blobs).reduce(BlobTally.NONE, BlobTally::plus);
      return new BuildResult(images.stream().map(Builder::result).toList(), indexDigest,
          written.stream().map(WriteTarget.Written::result).toList(), transfer(blobs), List.copyOf(attachments));
    } finally {
      for (ImageSource s : sources) {
        s.close();
      }
    }
  }

  private SupplyStep supplyStep;

  private WriteTarget.Written write(ImageTarget t, List<AssembledImage> images, boolean index) {
    try {
      Attachments extras = supply.any() ? supplyStep.attachments(images, attachments::addAll) : Attachments.NONE;
      WriteTarget.Written written = new WriteTarget(t, images, index, options.transfer(), listener, extras).run();
      if (supply.any()) {
        attachments.addAll(supplyStep.besideFiles(t.ref(), images));
      }
      return written;
    } catch (IOException | RuntimeException e) {
      // named with the tag being pushed (the ref alone would show Docker's implied ':latest')
      throw new BuildException("write", WriteTarget.withTag(t.ref(), t.tags().isEmpty() ? null : t.tags().get(0))
          .toString(), e);
    }
  }

  private List<AssembledImage> buildAll(BuildPlan plan, List<ImageSource> sources) throws IOException {
    List<PlatformBuild> builds = new ArrayList<>();
    for (PlatformPlan pp : plan.platforms()) {
      ImageSource base = open(pp.base(), sources);
      ImageSource builder = pp.builder().isPresent() ? open(pp.builder().get(), sources) : null;
      if (builder != null) {
        builders.put(pp.platform(), builder);
      }
      builds.add(new PlatformBuild(plan, pp, base, builder, options.withWorkDir(
          options.workDir().resolve(pp.platform().toString().replace('/', '-'))), listener));
    }
    ExecutorService pool = Futures.daemonPool("graft-platform", Math.min(options.parallelPlatforms(), builds.size()));
    try {
      List<Future<AssembledImage>> futures = builds.stream().map(b -> pool.submit(b::run)).toList();
      List<AssembledImage> out = new ArrayList<>();
      for (Future<AssembledImage> f : futures) {
        out.add(Futures.await(f, "build"));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private ImageSource open(ImageRef ref, List<ImageSource> sources) {
    try {
      ImageSource s = Images.open(ref, options.transfer());
      sources.add(s);
      return s;
    } catch (IOException e) {
      throw new BuildException("open", ref.toString(), e);
    } catch (UncheckedIOException e) {
      throw new BuildException("open", ref.toString(), e.getCause());
    }
  }

  private static BuildResult.Transfer transfer(BlobTally t) {
    return new BuildResult.Transfer(t.blobs(BlobOutcome.UPLOADED), t.bytes(BlobOutcome.UPLOADED),
        t.blobs(BlobOutcome.MOUNTED), t.bytes(BlobOutcome.MOUNTED), t.blobs(BlobOutcome.PRESENT),
        t.bytes(BlobOutcome.PRESENT), t.blobs(BlobOutcome.WRITTEN), t.bytes(BlobOutcome.WRITTEN));
  }

  private static BuildResult.PlatformResult result(AssembledImage img) {
    return new BuildResult.PlatformResult(img.platform(), img.manifest().digest(), img.config().digest(),
        img.added().stream().map(a -> new BuildResult.LayerResult(a.name(), a.layer().digest(), a.layer().diffId(),
            a.layer().compressedSize(), a.cached())).toList(), img.report());
  }
}
