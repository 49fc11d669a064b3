package dev.graft.cli;

import dev.graft.fs.FileTree;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import java.io.IOException;
import java.util.Optional;

/** The merged filesystem of one platform's image, for {@code ls} and {@code extract}. */
final class ImageTrees {
  private ImageTrees() {}

  static FileTree read(ImageSource source, Optional<Platform> platform) throws IOException {
    PlatformImage image = ReadImageOptions.single(ImageSummary.read(source, platform));
    if (image.isArtifact()) {
      throw new UserError(source.ref() + " is an artifact, not an image: it has no filesystem");
    }
    return FileTree.read(source, image.manifest(), image.config().diffIds());
  }
}
