package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.LayerFormatException;
import dev.graft.testing.TestTars;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layers no honest tool writes: each is refused with a message naming the layer and the entry. */
class HostileLayerTest {
  static final String LAYER = "sha256:" + "ab".repeat(32);

  private static void refused(byte[] layer, String... messageParts) {
    assertThatThrownBy(() -> FileTree.of(List.of(Trees.blob(LAYER, layer))))
        .isInstanceOf(LayerFormatException.class)
        .hasMessageContaining("layer " + LAYER)
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void refusesEntryEscapingRootWithDotDot() {
    refused(TestTars.create().file("a/../../x", "evil").bytes(), "'a/../../x'", "escape");
  }

  @Test
  void refusesAbsoluteEntryName() {
    refused(TestTars.create().file("/etc/x", "evil").bytes(), "'/etc/x'");
  }

  @Test
  void refusesHardlinkOutsideRoot() {
    refused(TestTars.create().hardlink("x", "../../x").bytes(), "'x'", "'../../x'");
  }

  @Test
  void refusesGiantDeclaredSize() {
    refused(TestTars.create().fileDeclaring("big", Long.MAX_VALUE, "").bytes(), "'big'", "declares 9223372036854775807 bytes");
  }

  @Test
  void refusesTarTruncatedInsideEntry() {
    byte[] full = TestTars.create().file("f", "x".repeat(5000)).bytes();
    refused(Arrays.copyOf(full, 512 + 2048), "'/f'", "truncated");
  }

  @Test
  void refusesTruncatedGzipStream() {
    byte[] gz = TestTars.create().file("f", "some content ".repeat(4000)).gzip();
    refused(Arrays.copyOf(gz, gz.length / 2), "truncated");
  }

  @Test
  void refusesTruncatedZstdStream() {
    byte[] z = TestTars.create().file("f", "some content ".repeat(4000)).zstd();
    refused(Arrays.copyOf(z, z.length / 2), "truncated");
  }

  @Test
  void refusesCorruptHeaderChecksum() {
    byte[] tar = TestTars.create().file("f", "x").bytes();
    tar[10] ^= 1;
    refused(tar, "checksum");
  }
}
