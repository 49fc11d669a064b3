package dev.graft.cli;

import dev.graft.fs.FileTree;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Collectors;

/** The merged filesystem of one platform's image, for {@code ls} and {@code extract}. */
final class ImageTrees {
  private ImageTrees() {}

  static FileTree read(ImageSource source, Optional<Platform> platform) throws IOException {
    ImageSummary summary = ImageSummary.read(source, platform);
    if (summary.images().size() != 1) {
      String platforms = summary.images().stream().map(i -> String.valueOf(i.platform()))
          .collect(Collectors.joining(", "));
      throw new UserError(source.ref() + " has " + summary.images().size() + " platforms (" + platforms
          + "); choose one with --platform");
    }
    PlatformImage image = summary.images().get(0);
    if (image.isArtifact()) {
      throw new UserError(source.ref() + " is an artifact, not an image: it has no filesystem");
    }
    return FileTree.read(source, image.manifest(), image.config().diffIds());
  }
}
