package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.LayerBlob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.VerifyingInputStream;
import dev.graft.testing.TestTars;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that answers honestly while the tree is read and with other bytes of the same length
 * afterwards (a registry or a file that changed): no content read later is handed out, spooled or
 * extracted before its whole layer proved genuine.
 */
class VerifiedContentTest {
  @TempDir Path tmp;

  private static final byte[] HONEST = TestTars.create().dir("app").file("app/a", "original-content")
      .file("app/b", "b").bytes();
  private static final byte[] TAMPERED = new String(HONEST, StandardCharsets.ISO_8859_1)
      .replace("original-content", "tampered-content").getBytes(StandardCharsets.ISO_8859_1);

  /** A tree read from honest bytes whose later reads get the tampered ones (verified like a source's). */
  private static FileTree honestThenTampered() throws Exception {
    Descriptor d = new Descriptor(MediaTypes.OCI_LAYER, Digest.sha256(HONEST), HONEST.length);
    AtomicInteger opens = new AtomicInteger();
    FileTree tree = FileTree.of(List.of(new LayerBlob("layer", () -> new VerifyingInputStream(
        new ByteArrayInputStream(opens.getAndIncrement() == 0 ? HONEST : TAMPERED), d, "test source"))));
    assertThat(TAMPERED).hasSameSizeAs(HONEST).isNotEqualTo(HONEST);
    return tree;
  }

  @Test
  void openContentFailsBeforeHandingOutAByte() throws Exception {
    FileTree tree = honestThenTampered();
    assertThatThrownBy(() -> tree.openContent(tree.lookup("/app/a").orElseThrow()))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void aSpoolNeverServesContentOfALayerThatFailed() throws Exception {
    FileTree tree = honestThenTampered();
    try (ContentSpool spool = new ContentSpool(tree, tmp)) {
      var a = spool.source(tree.lookup("/app/a").orElseThrow());
      assertThatThrownBy(a::open).isInstanceOf(DigestMismatchException.class);
      // asked again, it reads the layer again (and fails again), never the copy of the failed read
      assertThatThrownBy(a::open).isInstanceOf(DigestMismatchException.class);
    }
  }

  @Test
  void extractWritesNoFileOfALayerThatFailed() throws Exception {
    FileTree tree = honestThenTampered();
    Path out = tmp.resolve("out");
    assertThatThrownBy(() -> Extractor.extract(tree, Selector.select(tree, Selection.of("/app"), "image"), out))
        .isInstanceOf(DigestMismatchException.class);
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
