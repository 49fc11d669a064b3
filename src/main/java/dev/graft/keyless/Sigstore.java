package dev.graft.keyless;

import dev.graft.sign.SignException;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreSigningConfig;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.tuf.SigstoreTufClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Sigstore's configuration: the trusted root (Fulcio's CA certificates, Rekor's and the CT logs'
 * keys, each with its validity) and, for signing, the signing config (which Fulcio, Rekor and
 * token issuer to use). The public-good instance's come from its TUF repository (sigstore-java
 * checks them against the TUF root it ships); a trusted root can also be read from a file in
 * Sigstore's trusted_root.json format, as cosign's {@code --trusted-root} reads it (a private
 * Sigstore, or offline).
 */
public final class Sigstore {
  /** Where the public-good TUF repository is, for messages. */
  static final String TUF_REPOSITORY = "tuf-repo-cdn.sigstore.dev";

  private Sigstore() {}

  /** A Sigstore instance's trusted root and signing config; {@code name} says which, for messages. */
  record Instance(SigstoreTrustedRoot trustedRoot, SigstoreSigningConfig signingConfig, String name) {}

  /** The public-good instance's trusted root and signing config, fetched through TUF. */
  static Instance publicGood() throws SignException {
    QuietLibraries.apply();
    try {
      SigstoreTufClient tuf = SigstoreTufClient.builder().usePublicGoodInstance().build();
      tuf.update();
      return new Instance(tuf.getSigstoreTrustedRoot(), tuf.getSigstoreSigningConfig(), "Sigstore public-good instance");
    } catch (IOException | SigstoreConfigurationException | RuntimeException e) {
      throw new SignException("cannot fetch Sigstore's trusted root and signing config from its TUF repository ("
          + TUF_REPOSITORY + "): " + Scrub.message(e, List.of())
          + (e instanceof SigstoreConfigurationException || e instanceof IOException
              ? "; is the Sigstore public-good instance reachable from here?" : ""));
    }
  }

  /**
   * A private instance (or the public-good one described by files): the trusted root and the
   * signing config (which Fulcio, Rekor and OIDC issuer to use), as cosign's {@code --trusted-root}
   * and {@code --signing-config} read them.
   */
  static Instance fromFiles(Path trustedRoot, Path signingConfig) throws SignException {
    SigstoreTrustedRoot root = trustedRoot(trustedRoot);
    try (InputStream in = Files.newInputStream(signingConfig)) {
      return new Instance(root, SigstoreSigningConfig.from(in), "Sigstore instance of " + signingConfig.getFileName());
    } catch (NoSuchFileException e) {
      throw new SignException("signing config " + signingConfig + " does not exist");
    } catch (IOException | SigstoreConfigurationException | RuntimeException e) {
      throw new SignException("cannot read signing config " + signingConfig + ": " + Scrub.message(e, List.of())
          + " (expected Sigstore's signing_config.json format, v0.2, as cosign's --signing-config reads it)");
    }
  }

  /** A trusted root: from {@code file} when given, else the public-good instance's (TUF). */
  public static SigstoreTrustedRoot trustedRoot(Path file) throws SignException {
    if (file == null) {
      return publicGood().trustedRoot();
    }
    try (InputStream in = Files.newInputStream(file)) {
      return SigstoreTrustedRoot.from(in);
    } catch (NoSuchFileException e) {
      throw new SignException("trusted root " + file + " does not exist");
    } catch (IOException | SigstoreConfigurationException | RuntimeException e) {
      throw new SignException("cannot read trusted root " + file + ": " + Scrub.message(e, List.of())
          + " (expected Sigstore's trusted_root.json format, as cosign's --trusted-root reads it)");
    }
  }
}
