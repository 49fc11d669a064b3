package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.attach.ArtifactStore;
import dev.graft.attach.CosignSignatures;
import dev.graft.attach.RegistryArtifactStore;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Index;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.registry.RegistrySource;
import dev.graft.sign.PublicKeys;
import dev.graft.transfer.TransferOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft verify-signature REF --key cosign.pub}: checks cosign signatures of an image in a registry. */
@Command(name = "verify-signature", description = {
    "Check that an image in a registry is signed by a key.",
    "Signatures are read as cosign stores them.",
    "The payload at tag sha256-<hex>.sig (or an OCI 1.1 referrer) must verify",
    "with the key and name the image's digest. For an index, each platform",
    "manifest's signatures are reported too. Exit code 0 when REF's own digest",
    "has a valid signature, 1 when it has none."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft verify-signature ghcr.io/acme/app:1.2 --key cosign.pub",
        "  graft verify-signature --json localhost:5000/app:1.2 --key keys/cosign.pub",
        "",
        "See docs/supply-chain.md."})
public final class VerifySignatureCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REF", description = "Image in a registry (by tag or digest).")
  String reference;

  @Option(names = "--key", paramLabel = "FILE", required = true,
      description = "Public key (cosign.pub: PEM PUBLIC KEY, ECDSA P-256).")
  Path key;

  @Mixin
  CommonOptions common;

  @Mixin
  RegistryFlags registry;

  @Override
  public Integer call() throws Exception {
    ImageRef ref = Args.imageRef(reference);
    if (!(ref instanceof ImageRef.Registry r)) {
      throw new UserError("verify-signature reads signatures from a registry; " + ref + " is not one");
    }
    ECPublicKey publicKey = PublicKeys.read(key);
    TransferOptions options = registry.toOptions();
    Blob root;
    try (RegistrySource source = new RegistrySource(r, options.registry())) {
      root = source.root();
    }
    List<Result> results = new ArrayList<>();
    try (ArtifactStore store = new RegistryArtifactStore(r, options.registry())) {
      results.add(new Result(root.digest(), null, CosignSignatures.verify(store, root.digest(), publicKey)));
      if (MediaTypes.isIndex(root.mediaType())) {
        for (Descriptor d : Index.parse(root).manifests()) {
          results.add(new Result(d.digest(), d.platform() == null ? "" : d.platform().toString(),
              CosignSignatures.verify(store, d.digest(), publicKey)));
        }
      }
    }
    boolean ok = !results.get(0).signatures().isEmpty();
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(new String(Json.write(json(r, ok, results)), StandardCharsets.UTF_8));
    } else if (!common.quiet) {
      for (Result res : results) {
        String what = res.platform() == null ? r.registry() + "/" + r.repository() + "@" + res.digest()
            : "  " + (res.platform().isEmpty() ? "manifest" : res.platform()) + " " + res.digest();
        out.println(what + ": " + (res.signatures().isEmpty() ? "no signature by " + key
            : res.signatures().size() + " valid signature" + (res.signatures().size() == 1 ? "" : "s") + " by " + key
                + " (" + res.signatures().get(0).where() + ")"));
      }
    }
    if (!ok) {
      throw new UserError(r + " (" + root.digest() + ") has no signature that " + key + " verifies"
          + " (looked at tag " + CosignSignatures.signatureTag(root.digest()) + " and the referrers)", 1);
    }
    return 0;
  }

  private record Result(Digest digest, String platform, List<CosignSignatures.Verified> signatures) {}

  private static ObjectNode json(ImageRef.Registry ref, boolean ok, List<Result> results) {
    ObjectNode n = Json.object();
    n.put("reference", ref.toString());
    n.put("digest", results.get(0).digest().toString());
    n.put("verified", ok);
    ArrayNode all = n.putArray("manifests");
    for (Result r : results) {
      ObjectNode e = all.addObject();
      e.put("digest", r.digest().toString());
      e.put("platform", r.platform());
      e.put("verified", !r.signatures().isEmpty());
      ArrayNode sigs = e.putArray("signatures");
      for (CosignSignatures.Verified v : r.signatures()) {
        ObjectNode s = sigs.addObject();
        s.put("dockerReference", v.payload().dockerReference());
        s.put("payloadDigest", v.layer().digest().toString());
        s.put("location", v.where());
      }
    }
    return n;
  }
}
