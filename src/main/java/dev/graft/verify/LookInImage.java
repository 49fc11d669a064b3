package dev.graft.verify;

import dev.graft.fs.FileTree;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.OtherImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image of {@code --look-in}: opened (and its platforms listed) before verification, its files
 * read only when a finding asks for them, and removed with {@link #close()}.
 */
final class LookInImage implements AutoCloseable {
  private final ImageRef ref;
  private final ImageSource source;
  private final List<PlatformImage> images;
  private final List<TreeImageFiles> opened = new ArrayList<>();

  private LookInImage(ImageRef ref, ImageSource source, List<PlatformImage> images) {
    this.ref = ref;
    this.source = source;
    this.images = images;
  }

  static LookInImage open(ImageRef ref, TransferOptions options) throws IOException {
    ImageSource source = Images.open(ref, options);
    try {
      List<PlatformImage> images = ImageSummary.read(source, Optional.empty()).images().stream()
          .filter(i -> !i.isArtifact()).toList();
      return new LookInImage(ref, source, images);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /** The image's platform: the index entry's, else its config's. */
  static Platform platformOf(PlatformImage image) {
    ImageConfig config = image.config();
    return image.platform() != null ? image.platform()
        : new Platform(config.os(), config.architecture(), config.variant());
  }

  Optional<PlatformImage> image(Platform p) {
    return images.stream().filter(i -> platformOf(i).matches(p)).findFirst();
  }

  OtherImage forPlatform(Platform p) {
    return new OtherImage("image " + ref, () -> image(p).map(image -> {
      try {
        TreeImageFiles files = TreeImageFiles.of(FileTree.read(source, image.manifest(), image.config().diffIds()));
        opened.add(files);
        return ImageContext.of(files, p, image.config().env());
      } catch (IOException e) {
        throw new UncheckedIOException(ref + ": " + e.getMessage(), e);
      }
    }));
  }

  @Override
  public void close() throws IOException {
    opened.forEach(TreeImageFiles::close);
    source.close();
  }
}
