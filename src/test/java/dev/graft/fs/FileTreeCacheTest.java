package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image's listing kept by layer digests (issue 6: a rebuild does not stream the base and builder
 * again) must be the listing: every node equal to a fresh read of the real Alpine image, contents
 * still read (and digest-checked) from the image, and a damaged entry read afresh.
 */
class FileTreeCacheTest {
  @Test
  void aCachedListingEqualsAFreshReadAndItsFilesStillReadFromTheImage(@TempDir Path tmp) throws Exception {
    AlpineImages.Fixture fx = AlpineImages.singlePlatformLayout(tmp.resolve("oci"), "3.18", Platform.LINUX_AMD64);
    Manifest m = fx.manifest(Platform.LINUX_AMD64);
    ImageConfig config = fx.config(Platform.LINUX_AMD64);
    FileTreeCache cache = new FileTreeCache(tmp.resolve("cache"));
    try (ImageSource source = Images.open(ImageRef.parse(fx.ref()), TransferOptions.defaults())) {
      FileTree fresh = FileTree.read(source, m, config.diffIds());
      FileTree first = cache.read(source, m, config.diffIds());
      FileTree cached = cache.read(source, m, config.diffIds());
      List<TreeEntry> expected = fresh.walk("/").toList();
      assertThat(expected).hasSizeGreaterThan(400);
      assertThat(first.walk("/").toList()).isEqualTo(expected);
      assertThat(cached.walk("/").toList()).isEqualTo(expected);
      assertThat(Trees.content(cached, "/etc/alpine-release")).startsWith("3.18");

      try (Stream<Path> entries = Files.list(tmp.resolve("cache/trees"))) {
        for (Path p : entries.toList()) {
          byte[] b = Files.readAllBytes(p);
          Files.write(p, java.util.Arrays.copyOf(b, b.length - 7)); // torn write
        }
      }
      assertThat(cache.read(source, m, config.diffIds()).walk("/").toList()).isEqualTo(expected);
    }
  }
}
