package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.attach.ArtifactStore;
import dev.graft.attach.CosignSignatures;
import dev.graft.attach.ImageSigning;
import dev.graft.attach.RegistryArtifactStore;
import dev.graft.oci.ImageRef;
import dev.graft.sign.PayloadSigner;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import dev.graft.transfer.Attachments;
import dev.graft.transfer.CopyListener;
import dev.graft.transfer.CopyResult;
import dev.graft.transfer.ImageCopier;
import dev.graft.transfer.Images;
import dev.graft.transfer.PlatformManifest;
import dev.graft.transfer.TransferOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft copy SRC DST}: copies an image between registries, layouts and archives, digests intact. */
@Command(name = "copy", description = {
    "Copy an image between registries, layouts and archives.",
    "Digests are kept bit for bit; an index is copied whole (all platforms)",
    "unless --platform picks one."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft copy node:20-alpine oci:images/node:20-alpine",
        "  graft copy --platform linux/arm64 ghcr.io/acme/app:1.2 oci-archive:arm64.tar",
        "  graft copy oci:out localhost:5000/app --insecure-registry localhost:5000",
        "  graft copy oci:out ghcr.io/acme/app:1.2 --keyless  # sign in GitHub Actions",
        "",
        "See docs/cli.md#copy."})
public final class CopyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "Source image reference.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "Destination image reference.")
  String destination;

  @Option(names = "--all", description = "Copy every platform of an index (the default).")
  boolean all;

  @Mixin
  PlatformOption platform;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "4",
      description = "Blobs copied at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Mixin
  CommonOptions common;

  @Mixin
  RegistryFlags registry;

  @Mixin
  SignFlags sign;

  @Override
  public Integer call() throws Exception {
    if (all && platform.given()) {
      throw new UserError("--all and --platform exclude each other; pass one of them");
    }
    ImageRef src = Args.imageRef(source);
    ImageRef dst = Args.imageRef(destination);
    Optional<Platform> wanted = platform.one();
    if (jobs < 1) {
      throw new UserError("--jobs must be at least 1");
    }
    PrintWriter out = common.out();
    PrintWriter err = common.err();
    CopyListener progress = common.quiet ? CopyListener.NONE : new StderrProgress(err);
    TransferOptions options = registry.toOptions(progress::retrying).withConcurrency(jobs);
    List<PayloadSigner> signers = sign.signers(List.of(dst));
    TransferOptions transfer = options;
    List<CosignSignatures.Signed> signed = new ArrayList<>();
    // Signed after the manifests and before the tag moves, as a build signs: a tag never names an
    // unsigned copy, and a failed signing leaves the destination's tag where it was.
    Attachments signatures = signers.isEmpty() ? Attachments.NONE : (target, root) -> {
      try (ArtifactStore store = new RegistryArtifactStore((ImageRef.Registry) target, transfer.registry())) {
        for (PayloadSigner signer : signers) {
          signed.addAll(ImageSigning.sign(store, root.digest(), signer));
        }
      } catch (java.io.IOException e) {
        throw new UserError("did not copy " + src + " to " + dst + ": cannot sign " + root.digest() + ": "
            + ErrorLine.describe(e) + "; " + dst + " was left as it was, so no tag names an unsigned copy; running"
            + " the same copy again signs it", 1);
      }
    };
    CopyResult result;
    try (ImageSource in = Images.open(src, options);
        ImageSink sink = Images.create(dst, options)) {
      result = new ImageCopier(options.concurrency(), progress).copy(in, sink, wanted, signatures);
    }
    if (common.json) {
      ObjectNode json = toJson(src, dst, result);
      if (!signers.isEmpty()) {
        json.set("signatures", SignOutput.json(signed));
      }
      common.printJson(json);
    } else if (!common.quiet) {
      String kind = MediaTypes.isIndex(result.rootMediaType())
          ? "index of " + result.manifests().size() + " platforms"
          : "manifest" + platformSuffix(result);
      out.println("Copied " + src + " to " + dst + ": " + result.rootDigest() + " (" + kind + "); "
          + result.blobsCopied() + " blobs copied (" + Args.size(result.bytesCopied()) + "), "
          + result.blobsSkipped() + " already present");
      SignOutput.print(out, signed);
    }
    return 0;
  }

  private static String platformSuffix(CopyResult r) {
    Platform p = r.manifests().isEmpty() ? null : r.manifests().get(0).platform();
    return p == null ? "" : ", " + p;
  }

  private static ObjectNode toJson(ImageRef src, ImageRef dst, CopyResult r) {
    ObjectNode n = Json.object();
    n.put("source", src.toString());
    n.put("destination", dst.toString());
    n.put("digest", r.rootDigest().toString());
    n.put("mediaType", r.rootMediaType());
    ArrayNode ms = n.putArray("manifests");
    for (PlatformManifest m : r.manifests()) {
      ObjectNode e = ms.addObject();
      e.put("platform", m.platform() == null ? null : m.platform().toString());
      e.put("digest", m.digest().toString());
    }
    n.put("blobsCopied", r.blobsCopied());
    n.put("bytesCopied", r.bytesCopied());
    n.put("blobsSkipped", r.blobsSkipped());
    n.put("bytesSkipped", r.bytesSkipped());
    return n;
  }
}
