package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestTars;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees read from a real image source (an OCI layout), whose streams verify layer digests. */
class FileTreeImageSourceTest {
  @TempDir Path tmp;

  @Test
  void readsTreeFromImageSourceAndRefusesLayerThatChangedSince() throws Exception {
    Path layer = tmp.resolve("l.tar");
    Files.write(layer, TestTars.create().dir("app").file("app/a", "original-content").file("app/b", "b").bytes());
    Path layout = tmp.resolve("oci");
    OciLayouts.write(layout, "t", List.of(layer));
    try (ImageSource source = Images.open(ImageRef.parse("oci:" + layout + ":t"), TransferOptions.defaults())) {
      ImageSummary.PlatformImage image = ImageSummary.read(source, Optional.empty()).images().get(0);
      Manifest m = image.manifest();
      FileTree tree = FileTree.read(source, m, image.config().diffIds());
      assertThat(Trees.content(tree, "/app/a")).isEqualTo("original-content");
      assertThat(tree.lookup("/app/b").orElseThrow().content().layer()).isZero();

      // Same length, different bytes: still a valid tar, so only the digest can tell.
      Path blob = layout.resolve("blobs/sha256/" + m.layers().get(0).digest().hex());
      String tar = Files.readString(blob, StandardCharsets.ISO_8859_1);
      Files.writeString(blob, tar.replace("original-content", "tampered-content"), StandardCharsets.ISO_8859_1);
      assertThatThrownBy(() -> tree.readContents(List.of(tree.lookup("/app/a").orElseThrow()), (ref, size, in) -> {
        in.readAllBytes();
      })).isInstanceOf(DigestMismatchException.class);
      assertThatThrownBy(() -> Trees.content(tree, "/app/a")).isInstanceOf(DigestMismatchException.class);
    }
  }
}
