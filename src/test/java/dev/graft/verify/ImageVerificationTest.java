package dev.graft.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.transfer.TransferOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library behind {@code graft verify}, called directly on real Alpine layouts. */
class ImageVerificationTest {
  @TempDir
  static Path shared;

  static AlpineImages.Fixture alpine;
  static AlpineImages.Fixture amd64Only;

  @BeforeAll
  static void layouts() {
    alpine = AlpineImages.layout(shared.resolve("alpine"), "3.16");
    amd64Only = AlpineImages.singlePlatformLayout(shared.resolve("amd64"), "3.18", Platform.LINUX_AMD64);
  }

  static VerifyRequest request(AlpineImages.Fixture f, Optional<Platform> p, boolean all, List<ImageRef> lookIn) {
    return new VerifyRequest(ImageRef.parse(f.ref()), p, all, lookIn, TransferOptions.defaults());
  }

  @Test
  void verifiesEveryPlatformInTheImagesOrderWithAll() throws Exception {
    List<Report> reports = ImageVerification.run(request(alpine, Optional.empty(), true, List.of()));
    assertThat(reports).extracting(Report::subject).containsExactly(alpine.ref() + " (linux/amd64)",
        alpine.ref() + " (linux/arm64/v8)", alpine.ref() + " (linux/arm/v7)");
    assertThat(reports).noneMatch(Report::hasErrors);
  }

  @Test
  void verifiesOnePlatform() throws Exception {
    List<Report> reports = ImageVerification.run(request(alpine, Optional.of(Platform.LINUX_ARM_V7), false, List.of()));
    assertThat(reports).extracting(Report::subject).containsExactly(alpine.ref() + " (linux/arm/v7)");
  }

  @Test
  void refusesWhatCannotBeAnsweredAsAsked() {
    assertThatThrownBy(() -> ImageVerification.run(request(alpine, Optional.empty(), false, List.of())))
        .isInstanceOf(VerifyInputException.class).hasMessageContaining("has 3 platforms").hasMessageContaining("--all");
    assertThatThrownBy(() -> request(alpine, Optional.of(Platform.LINUX_AMD64), true, List.of()))
        .isInstanceOf(VerifyInputException.class).hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> ImageVerification.run(request(alpine, Optional.of(Platform.LINUX_ARM64), false,
        List.of(ImageRef.parse(amd64Only.ref())))))
        .isInstanceOf(VerifyInputException.class).hasMessageContaining("has no image for linux/arm64");
  }
}
