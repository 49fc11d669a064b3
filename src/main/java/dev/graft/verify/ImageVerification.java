package dev.graft.verify;

import dev.graft.fs.FileTree;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import dev.graft.transfer.Images;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.OtherImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code graft verify} as a library call: opens the image and the look-in images, picks the
 * platforms, reads each platform's merged layers and verifies them with {@link ImageVerifier}.
 */
public final class ImageVerification {
  private ImageVerification() {}

  /**
   * One report per verified platform, in the image's order.
   *
   * @throws VerifyInputException when the request cannot be answered as asked
   */
  public static List<Report> run(VerifyRequest request) throws IOException {
    ImageRef ref = request.image();
    List<Report> reports = new ArrayList<>();
    List<LookInImage> others = new ArrayList<>();
    try (ImageSource source = Images.open(ref, request.options())) {
      List<PlatformImage> images = ImageSummary.read(source, request.platform()).images().stream()
          .filter(i -> !i.isArtifact()).toList();
      if (images.size() > 1 && !request.all() && request.platform().isEmpty()) {
        String platforms = images.stream().map(i -> String.valueOf(i.platform())).collect(Collectors.joining(", "));
        throw new VerifyInputException(ref + " has " + images.size() + " platforms (" + platforms
            + "); choose one with --platform, or --all");
      }
      List<Platform> platforms = images.stream().map(LookInImage::platformOf).toList();
      for (ImageRef lookIn : request.lookIn()) {
        LookInImage other = LookInImage.open(lookIn, request.options());
        others.add(other);
        if (platforms.stream().noneMatch(p -> other.image(p).isPresent())) {
          throw new VerifyInputException("--look-in " + lookIn + " has no image for "
              + platforms.stream().map(String::valueOf).collect(Collectors.joining(", "))
              + "; look in an image of the platform verified");
        }
      }
      for (PlatformImage image : images) {
        Platform p = LookInImage.platformOf(image);
        reports.add(verify(source, ref, image, others.stream().map(o -> o.forPlatform(p)).toList()));
      }
    } finally {
      for (LookInImage other : others) {
        other.close();
      }
    }
    return reports;
  }

  private static Report verify(ImageSource source, ImageRef ref, PlatformImage image, List<OtherImage> lookIn)
      throws IOException {
    ImageConfig config = image.config();
    Platform p = LookInImage.platformOf(image);
    FileTree tree = FileTree.read(source, image.manifest(), config.diffIds());
    try (TreeImageFiles files = TreeImageFiles.of(tree)) {
      ImageContext ctx;
      try {
        ctx = ImageContext.of(files, p, config.env()).withLookIn(lookIn);
      } catch (IllegalArgumentException e) {
        throw new VerifyInputException(ref + ": " + e.getMessage());
      }
      return ImageVerifier.verify(ctx, ImageVerifier.command(config), ref + " (" + p + ")");
    }
  }
}
