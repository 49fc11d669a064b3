package dev.graft.cli;

import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What every command that reads one image takes (a picocli mixin for {@code ls}, {@code extract},
 * {@code inspect}, {@code verify} and {@code sbom}): {@code REF}, the first positional parameter
 * wherever the mixin is declared; {@code --platform}, which of its platforms; the common options
 * and the registry options to reach it with.
 */
public final class ReadImageOptions {
  @Parameters(index = "0", paramLabel = "REF", description = "Image reference.")
  String reference;

  @Mixin
  PlatformOption platform;

  @Mixin
  CommonOptions common;

  @Mixin
  RegistryFlags registry;

  /** REF as written, for messages that repeat the user's words. */
  String text() {
    return reference;
  }

  /** REF parsed; a malformed one is a user error. */
  ImageRef ref() {
    return Args.imageRef(reference);
  }

  /** The one platform asked for with --platform, if any. */
  Optional<Platform> platform() {
    return platform.one();
  }

  /** How to reach registries, from the registry options. */
  TransferOptions transfer() {
    return registry.toOptions();
  }

  /** The image, opened with the registry options; the caller closes it. */
  ImageSource open() throws IOException {
    return open(transfer());
  }

  /** The image, opened with {@code options} (from {@link #transfer()}); the caller closes it. */
  ImageSource open(TransferOptions options) throws IOException {
    return Images.open(ref(), options);
  }

  /**
   * The one image of a summary read for {@link #platform()}: a multi-platform image without
   * {@code --platform} is a user error that names the platforms to choose from.
   */
  static PlatformImage single(ImageSummary summary) {
    if (summary.images().size() != 1) {
      String platforms = summary.images().stream().map(i -> String.valueOf(i.platform()))
          .collect(Collectors.joining(", "));
      throw new UserError(summary.ref() + " has " + summary.images().size() + " platforms (" + platforms
          + "); choose one with --platform");
    }
    return summary.images().get(0);
  }
}
