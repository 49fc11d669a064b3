package dev.graft.cli;

import dev.graft.oci.ImageRef;
import dev.graft.sign.KeyPassword;
import dev.graft.sign.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --sign-key}: sign what is written, the way cosign does (a picocli mixin for build and copy). */
public final class SignFlags {
  @Option(names = "--sign-key", paramLabel = "FILE",
      description = {"Sign every pushed manifest and the index with this key, stored as cosign stores "
          + "signatures (tag sha256-<hex>.sig; also a referrer where the registry has the OCI 1.1 referrers API).",
          "FILE: cosign's key file (cosign generate-key-pair) or an ECDSA P-256 PKCS#8 PEM; an encrypted "
              + "key's password comes from COSIGN_PASSWORD or GRAFT_SIGN_PASSWORD. Check with "
              + "'graft verify-signature REF --key cosign.pub' or 'cosign verify --key cosign.pub REF'."})
  Path signKey;

  /** The key, read (and decrypted) before anything is written, so a wrong password changes nothing. */
  Optional<SigningKey> read(ImageRef destination) throws IOException {
    if (signKey == null) {
      return Optional.empty();
    }
    if (!(destination instanceof ImageRef.Registry)) {
      throw new UserError("--sign-key: " + destination + " is not a registry; signatures are stored beside the image "
          + "in a registry (sign when you push it: graft copy " + destination + " REGISTRY/REPO:TAG --sign-key "
          + signKey + ")");
    }
    return Optional.of(SigningKey.read(signKey, KeyPassword.fromEnvironment(System.getenv())));
  }
}
