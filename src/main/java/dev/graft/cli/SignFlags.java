package dev.graft.cli;

import dev.graft.oci.ImageRef;
import dev.graft.sign.KeyPassword;
import dev.graft.sign.KeySigner;
import dev.graft.sign.PayloadSigner;
import dev.graft.sign.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --sign-key} and {@code --keyless}: sign what is written, the way cosign does (a picocli
 * mixin for build and copy). Both may be given: each adds its own signature.
 */
public final class SignFlags {
  @Option(names = "--sign-key", paramLabel = "FILE",
      description = {"Sign every pushed manifest and the index with this key, stored as cosign stores "
          + "signatures (tag sha256-<hex>.sig; also a referrer where the registry has the OCI 1.1 referrers API).",
          "FILE: cosign's key file (cosign generate-key-pair) or an ECDSA P-256 PKCS#8 PEM; an encrypted "
              + "key's password comes from COSIGN_PASSWORD or GRAFT_SIGN_PASSWORD. Check with "
              + "'graft verify-signature REF --key cosign.pub' or 'cosign verify --key cosign.pub REF'."})
  Path signKey;

  @Option(names = "--keyless",
      description = {"Sign keyless with Sigstore's public-good instance, as 'cosign sign' does without a key: an "
          + "OIDC identity token (GitHub Actions with 'permissions: id-token: write', or SIGSTORE_ID_TOKEN), a "
          + "Fulcio certificate for an ephemeral key, an entry in the Rekor transparency log; certificate, chain "
          + "and Rekor bundle are stored with the signature.",
          "Check with 'graft verify-signature REF --certificate-identity ID --certificate-oidc-issuer URL'."})
  boolean keyless;

  @Option(names = "--signing-config", paramLabel = "FILE",
      description = {"With --keyless: sign through another Sigstore instance than the public-good one (a private "
          + "Fulcio and Rekor): its signing_config.json (v0.2, as cosign's --signing-config reads it). Needs "
          + "--trusted-root."})
  Path signingConfig;

  @Mixin
  TrustedRootOption trustedRoot;

  /**
   * The signers, ready before anything is written: a key is read (and decrypted) so a wrong
   * password changes nothing; for keyless, an identity source must be present (the token itself is
   * fetched when the signatures are written). Every destination must be a registry.
   */
  List<PayloadSigner> signers(List<ImageRef> destinations) throws IOException {
    List<PayloadSigner> out = new ArrayList<>();
    if ((signingConfig != null || trustedRoot.file().isPresent()) && !keyless) {
      throw new UserError((signingConfig != null ? "--signing-config" : "--trusted-root")
          + " chooses the Sigstore instance for --keyless; add --keyless, or leave it out");
    }
    if ((signingConfig == null) != trustedRoot.file().isEmpty()) {
      throw new UserError("--keyless with another Sigstore instance needs both --signing-config (where its Fulcio"
          + " and Rekor are) and --trusted-root (what their answers are checked against)");
    }
    if (signKey == null && !keyless) {
      return out;
    }
    String flag = signKey != null ? "--sign-key" : "--keyless";
    for (ImageRef destination : destinations) {
      if (!(destination instanceof ImageRef.Registry)) {
        throw new UserError(flag + ": " + destination + " is not a registry; signatures are stored beside the image "
            + "in a registry (sign when you push it: graft copy " + destination + " REGISTRY/REPO:TAG " + flag
            + (signKey != null ? " " + signKey : "") + ")");
      }
    }
    if (signKey != null) {
      out.add(new KeySigner(SigningKey.read(signKey, KeyPassword.fromEnvironment(System.getenv()))));
    }
    if (keyless) {
      // the only references to dev.graft.keyless here: sigstore-java loads on this path alone
      out.add(signingConfig == null ? dev.graft.keyless.SigstoreSigner.fromEnvironment(System.getenv())
          : dev.graft.keyless.SigstoreSigner.fromEnvironment(System.getenv(), trustedRoot.file().orElseThrow(),
              signingConfig));
    }
    return out;
  }
}
