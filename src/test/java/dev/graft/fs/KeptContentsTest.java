package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.LayerBlob;
import dev.graft.oci.Digest;
import dev.graft.testing.TestTars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree read with {@link KeptContents} copies the files it wants as the layers stream by: reading
 * them later (directly, through {@link FileTree#readContents} or a {@link ContentSpool}) reads no
 * layer again, while other files still come from their layer; a copy is never handed out unless its
 * whole layer was checked.
 */
class KeptContentsTest {
  @Test
  void keptFilesAreServedWithoutReadingTheirLayerAgainAndOthersFromTheLayer(@TempDir Path tmp) throws Exception {
    TestTars libs = TestTars.create().dir("usr").dir("usr/lib");
    TestTars app = TestTars.create().dir("usr").dir("usr/local").dir("usr/local/bin").dir("opt");
    for (int i = 0; i < 20; i++) {
      libs.file("usr/lib/lib" + i + ".so.1", "library " + i);
      app.file("opt/doc" + i + ".txt", "doc " + i);
    }
    app.file("usr/local/bin/node", "node itself");
    AtomicInteger[] passes = {new AtomicInteger(), new AtomicInteger()};
    try (KeptContents kept = new KeptContents((path, m) -> path.contains(".so") || path.startsWith("/usr/local/"),
        tmp.resolve("kept"))) {
      FileTree tree = FileTree.of(List.of(layer("libs", libs.bytes(), passes[0]), layer("app", app.bytes(), passes[1])),
          kept);
      assertThat(passes[0]).hasValue(1);
      assertThat(passes[1]).hasValue(1);

      assertThat(Trees.content(tree, "/usr/local/bin/node")).isEqualTo("node itself");
      Map<String, String> read = new HashMap<>();
      List<TreeEntry> libFiles = tree.walk("/usr/lib").filter(e -> e.metadata().isRegular()).toList();
      tree.readContents(libFiles, (ref, size, in) -> read.put(ref.toString(), text(in)));
      assertThat(read).hasSize(20).containsValue("library 7");
      try (ContentSpool spool = new ContentSpool(tree, tmp.resolve("spool"))) {
        assertThat(text(spool.source(tree.lookup("/usr/lib/lib3.so.1").orElseThrow()).open())).isEqualTo("library 3");
        assertThat(spool.source(tree.lookup("/usr/local/bin/node").orElseThrow()).openChannel().orElseThrow().size())
            .isEqualTo("node itself".length());
      }
      assertThat(passes[0]).as("every library was kept: its layer is not read again").hasValue(1);
      assertThat(passes[1]).hasValue(1);

      assertThat(Trees.content(tree, "/opt/doc4.txt")).as("not kept: read from its layer").isEqualTo("doc 4");
      assertThat(passes[1]).hasValue(2);
    }
    try (Stream<Path> left = Files.list(tmp.resolve("kept"))) {
      assertThat(left).as("closing removes the copies").isEmpty();
    }
  }

  @Test
  void aLayerThatFailsItsCheckHandsOutNoCopy(@TempDir Path tmp) throws Exception {
    byte[] tar = TestTars.create().dir("lib").file("lib/libc.so.6", "genuine?").bytes();
    Digest wrongDiffId = Digest.sha256("another layer".getBytes(StandardCharsets.UTF_8));
    try (KeptContents kept = new KeptContents((path, m) -> true, tmp)) {
      LayerBlob lying = new LayerBlob("lying", () -> new ByteArrayInputStream(tar), wrongDiffId);
      assertThatThrownBy(() -> FileTree.of(List.of(lying), kept)).isInstanceOf(IOException.class)
          .hasMessageContaining("lying");
      for (long ordinal = 0; ordinal < 4; ordinal++) {
        assertThat(kept.has(new ContentRef(0, ordinal))).isFalse();
      }
    }
  }

  private static LayerBlob layer(String name, byte[] tar, AtomicInteger opened) {
    return new LayerBlob(name, () -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream(tar);
    });
  }

  private static String text(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
