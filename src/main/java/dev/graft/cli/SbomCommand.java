package dev.graft.cli;

import dev.graft.attach.ArtifactStore;
import dev.graft.attach.Referrer;
import dev.graft.attach.Referrers;
import dev.graft.attach.RegistryArtifactStore;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.OciLayouts;
import dev.graft.oci.StagingDir;
import dev.graft.oci.TargetPath;
import dev.graft.sbom.HistoryOrigins;
import dev.graft.sbom.ImageSubject;
import dev.graft.sbom.SbomFormat;
import dev.graft.sbom.Sboms;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.TransferOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graft sbom REF}: a CycloneDX or SPDX SBOM of any image, or the one a build attached to it. */
@Command(name = "sbom", description = {
    "Print an SBOM (CycloneDX or SPDX) of one platform's image.",
    "CycloneDX 1.6 JSON by default, SPDX 2.3 JSON with --format spdx.",
    "It lists the distribution packages (apk/dpkg), the npm packages of every",
    "node_modules (purl, license, integrity), and for images graft built the",
    "grafted layers with their programs, addons and libraries and which binary",
    "loads which library. With --attached, the SBOM 'graft build --sbom' attached",
    "to the image instead (OCI 1.1 referrers, or the sha256-<hex> fallback tag).",
    "Reproducible: the same image gives the same bytes (its created time)."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft sbom oci-archive:app.tar --platform linux/amd64 -o sbom.json",
        "  graft sbom oci-archive:app.tar --platform linux/amd64 --format spdx",
        "  graft sbom --attached ghcr.io/acme/app:1.2 --platform linux/arm64",
        "",
        "See docs/supply-chain.md."})
public final class SbomCommand implements Callable<Integer> {
  @Option(names = "--attached", description = "Print the SBOM attached to the image in its registry.")
  boolean attached;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "cyclonedx",
      description = "cyclonedx (default: CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the SBOM to FILE instead of stdout (a new path or a regular file, replaced atomically).")
  Path output;

  @Mixin
  ReadImageOptions image;

  @Override
  public Integer call() throws Exception {
    ImageRef ref = image.ref();
    SbomFormat sbomFormat;
    try {
      sbomFormat = SbomFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new UserError("--format: " + e.getMessage());
    }
    if (output != null) {
      TargetPath.requireFileOrNew(output.toAbsolutePath()); // before the image is read, and again at the rename
    }
    TransferOptions options = image.transfer();
    byte[] document;
    try (ImageSource source = image.open(options)) {
      ImageSummary.PlatformImage chosen = ReadImageOptions.single(ImageSummary.read(source, image.platform()));
      if (chosen.isArtifact()) {
        throw new UserError(ref + " is an artifact, not an image: it has no filesystem to describe");
      }
      document = attached ? attached(ref, chosen, options, sbomFormat) : Sboms.write(List.of(sbomFormat),
          new ImageSubject(name(ref), chosen.manifestBlob().digest(), chosen.platform(), Optional.empty(),
              Optional.empty(), HistoryOrigins.of(chosen.manifest(), chosen.config().blob()),
              chosen.config().env(), HistoryOrigins.created(chosen.config().blob()), VersionCommand.version()),
          source, chosen.manifest(), chosen.config().blob()).get(sbomFormat);
    }
    if (output != null) {
      Path target = output.toAbsolutePath().normalize();
      try (StagingDir staging = StagingDir.create(target.getParent(), "." + target.getFileName() + ".graft-staging-")) {
        OciLayouts.writeAtomically(target, document, staging);
      }
    } else {
      PrintWriter out = image.common.out();
      out.println(new String(document, StandardCharsets.UTF_8));
    }
    return 0;
  }

  private static byte[] attached(ImageRef ref, ImageSummary.PlatformImage image, TransferOptions options,
      SbomFormat format) throws Exception {
    if (!(ref instanceof ImageRef.Registry r)) {
      throw new UserError("--attached reads SBOMs attached in a registry; " + ref + " is not one (graft build writes "
          + "the SBOM of an oci: or oci-archive: target as a file beside it)");
    }
    var digest = image.manifestBlob().digest();
    try (ArtifactStore store = new RegistryArtifactStore(r, options.registry())) {
      List<Referrer> found = Referrers.list(store, digest, format.mediaType());
      if (found.isEmpty()) {
        throw new UserError(r + " (" + image.platform() + ", " + digest + ") has no attached " + format.cliName()
            + " SBOM (" + format.mediaType() + ": none in the referrers, nor at tag " + Referrers.fallbackTag(digest)
            + "); build with --sbom" + (format == SbomFormat.CYCLONEDX ? "" : " --sbom-format " + format.cliName())
            + ", or run graft sbom without --attached to describe it now", 1);
      }
      return Referrers.content(store, found.get(found.size() - 1), digest);
    }
  }

  /** The image's name as the SBOM states it: a registry repository without tag, else the reference. */
  static String name(ImageRef ref) {
    return ref instanceof ImageRef.Registry r ? r.registry() + "/" + r.repository() : ref.toString();
  }
}
