package dev.graft.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --trusted-root FILE}: the Sigstore instance whose keyless signatures are trusted (a picocli
 * mixin: {@code verify-signature} checks signatures against it, {@link SignFlags} signs through
 * it for {@code build} and {@code copy}).
 */
public final class TrustedRootOption {
  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = {"Keyless: the Sigstore instance's trusted_root.json (Fulcio CAs, Rekor and CT log keys) to "
          + "check its certificates and log entries against, instead of the public-good instance's, which is "
          + "fetched through TUF. For a private Sigstore (when signing, with --signing-config), or to verify "
          + "offline."})
  Path trustedRoot;

  /** The file given, or empty for the public-good instance's root. */
  Optional<Path> file() {
    return Optional.ofNullable(trustedRoot);
  }
}
