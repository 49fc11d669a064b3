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
import dev.graft.sign.KeyCheck;
import dev.graft.sign.PublicKeys;
import dev.graft.sign.SignatureCheck;
import dev.graft.transfer.TransferOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code graft verify-signature REF --key cosign.pub}, or {@code --certificate-identity ID
 * --certificate-oidc-issuer URL} for keyless signatures: checks cosign signatures of an image in a
 * registry.
 */
@Command(name = "verify-signature", description = {
    "Check an image's cosign signatures (key or keyless).",
    "Signatures are read as cosign stores them: the payload at tag",
    "sha256-<hex>.sig (or an OCI 1.1 referrer) must name the image's digest,",
    "and its signature must verify",
    "  with --key: by that public key;",
    "  keyless (--certificate-identity and --certificate-oidc-issuer): by a",
    "  Fulcio certificate for exactly that identity and issuer, chaining to",
    "  Sigstore's trusted root (fetched through TUF, or --trusted-root FILE),",
    "  and logged in Rekor (the stored bundle's signed entry timestamp is",
    "  checked; Rekor is not asked).",
    "For an index, each platform manifest's signatures are reported too.",
    "Exit code 0 when REF's own digest has a valid signature, 1 when it has none."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft verify-signature ghcr.io/acme/app:1.2 --key cosign.pub",
        "  graft verify-signature --json localhost:5000/app:1.2 --key keys/cosign.pub",
        "Keyless, for a GitHub Actions workflow, add instead of --key:",
        "  --certificate-identity https://github.com/OWNER/REPO/.github/workflows/F@REF",
        "  --certificate-oidc-issuer https://token.actions.githubusercontent.com",
        "",
        "See docs/supply-chain.md."})
public final class VerifySignatureCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REF", description = "Image in a registry (by tag or digest).")
  String reference;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Public key (cosign.pub: PEM PUBLIC KEY, ECDSA P-256) for signatures made with a key.")
  Path key;

  @Option(names = "--certificate-identity", paramLabel = "ID",
      description = {"Keyless: the identity the signing certificate must name exactly (its subject alternative "
          + "name: for GitHub Actions the workflow's URL at its ref, as in the examples; or an email)."})
  String certificateIdentity;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL",
      description = {"Keyless: the OIDC issuer the certificate must name exactly (for GitHub Actions the one in "
          + "the examples)."})
  String certificateIssuer;

  @Mixin
  TrustedRootOption trustedRoot;

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
    SignatureCheck check = check();
    TransferOptions options = registry.toOptions();
    Blob root;
    try (RegistrySource source = new RegistrySource(r, options.registry())) {
      root = source.root();
    }
    List<Result> results = new ArrayList<>();
    try (ArtifactStore store = new RegistryArtifactStore(r, options.registry())) {
      results.add(new Result(root.digest(), null, CosignSignatures.verify(store, root.digest(), check)));
      if (MediaTypes.isIndex(root.mediaType())) {
        for (Descriptor d : Index.parse(root).manifests()) {
          results.add(new Result(d.digest(), d.platform() == null ? "" : d.platform().toString(),
              CosignSignatures.verify(store, d.digest(), check)));
        }
      }
    }
    boolean ok = !results.get(0).signatures().accepted().isEmpty();
    PrintWriter out = common.out();
    if (common.json) {
      out.println(new String(Json.write(json(r, ok, results)), StandardCharsets.UTF_8));
    } else if (!common.quiet) {
      for (Result res : results) {
        String what = res.platform() == null ? r.registry() + "/" + r.repository() + "@" + res.digest()
            : "  " + (res.platform().isEmpty() ? "manifest" : res.platform()) + " " + res.digest();
        List<CosignSignatures.Verified> accepted = res.signatures().accepted();
        out.println(what + ": " + (accepted.isEmpty() ? "no signature by " + check.describe()
            : accepted.size() + " valid signature" + (accepted.size() == 1 ? "" : "s") + " by " + accepted.get(0).signer()
                + " (" + accepted.get(0).where() + ")"));
        if (accepted.isEmpty()) {
          res.signatures().refused().stream().limit(5).forEach(f -> out.println("    refused: " + f.reason()));
        }
      }
    }
    if (!ok) {
      List<CosignSignatures.Refused> refused = results.get(0).signatures().refused();
      throw new UserError(r + " (" + root.digest() + ") has no signature by " + check.describe()
          + (refused.isEmpty() ? " (looked at tag " + CosignSignatures.signatureTag(root.digest()) + " and the referrers)"
              : "; " + refused.size() + " signature" + (refused.size() == 1 ? "" : "s") + " refused, e.g.: "
                  + refused.get(0).reason()), 1);
    }
    return 0;
  }

  /** The check the flags ask for; a keyless one loads sigstore-java (and fetches the trusted root) only here. */
  private SignatureCheck check() throws Exception {
    boolean keyless = certificateIdentity != null || certificateIssuer != null;
    if (key != null && keyless) {
      throw new UserError("verify-signature: pass --key for signatures made with a key, or --certificate-identity and"
          + " --certificate-oidc-issuer for keyless ones, not both");
    }
    if (key != null) {
      if (trustedRoot.file().isPresent()) {
        throw new UserError("verify-signature: --trusted-root is for keyless signatures; with --key the key is the trust");
      }
      return new KeyCheck(PublicKeys.read(key), "key " + key);
    }
    if (!keyless) {
      throw new UserError("verify-signature needs what to trust: --key cosign.pub for signatures made with a key, or"
          + " --certificate-identity ID --certificate-oidc-issuer URL for keyless ones");
    }
    if (certificateIdentity == null || certificateIssuer == null) {
      throw new UserError("verify-signature: keyless verification needs both --certificate-identity and"
          + " --certificate-oidc-issuer (for GitHub Actions: --certificate-identity"
          + " https://github.com/OWNER/REPO/.github/workflows/FILE@REF --certificate-oidc-issuer"
          + " https://token.actions.githubusercontent.com)");
    }
    return new dev.graft.keyless.KeylessCheck(dev.graft.keyless.Sigstore.trustedRoot(trustedRoot.file().orElse(null)),
        certificateIdentity, certificateIssuer);
  }

  private record Result(Digest digest, String platform, CosignSignatures.Verification signatures) {}

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
      e.put("verified", !r.signatures().accepted().isEmpty());
      ArrayNode sigs = e.putArray("signatures");
      for (CosignSignatures.Verified v : r.signatures().accepted()) {
        ObjectNode s = sigs.addObject();
        s.put("dockerReference", v.payload().dockerReference());
        s.put("payloadDigest", v.layer().digest().toString());
        s.put("location", v.where());
        s.put("signer", v.signer());
      }
      ArrayNode refused = e.putArray("refused");
      for (CosignSignatures.Refused f : r.signatures().refused()) {
        refused.addObject().put("location", f.where()).put("reason", f.reason());
      }
    }
    return n;
  }
}
