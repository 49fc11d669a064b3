package dev.graft.verify;

import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import dev.graft.transfer.TransferOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code graft verify} is asked: one image, which of its platforms ({@code platform}, or
 * {@code all}, else the image must have one), the images to look in for what it lacks (in order),
 * and how to reach them.
 */
public record VerifyRequest(ImageRef image, Optional<Platform> platform, boolean all, List<ImageRef> lookIn,
    TransferOptions options) {
  public VerifyRequest {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(options, "options");
    lookIn = List.copyOf(lookIn);
    if (all && platform.isPresent()) {
      throw new VerifyInputException("--all and --platform exclude each other; pass one of them");
    }
  }
}
