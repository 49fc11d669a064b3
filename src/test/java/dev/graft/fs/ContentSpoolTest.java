package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.LayerBlob;
import dev.graft.testing.TestTars;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool reads a layer once per batch: files registered before a read come in one pass, a file
 * registered later costs one more pass for itself (and whatever else is pending), never a re-read
 * of what is spooled already. A node image as base has hundreds of package.json files in one layer:
 * read one pass each, that was minutes.
 */
class ContentSpoolTest {
  @Test
  void eachLayerIsReadOncePerBatchAndNeverForWhatIsSpooled(@TempDir Path tmp) throws Exception {
    TestTars libs = TestTars.create().dir("lib");
    TestTars modules = TestTars.create().dir("m");
    for (int i = 0; i < 40; i++) {
      libs.file("lib/lib" + i + ".so", "library " + i);
      modules.file("m/p" + i + "/package.json", "{\"name\":\"p" + i + "\"}");
    }
    AtomicInteger[] passes = {new AtomicInteger(), new AtomicInteger()};
    byte[][] tars = {libs.bytes(), modules.bytes()};
    FileTree tree = FileTree.of(List.of(layer("libs", tars[0], passes[0]), layer("modules", tars[1], passes[1])));
    passes[0].set(0);
    passes[1].set(0);
    try (ContentSpool spool = new ContentSpool(tree, tmp)) {
      tree.walk("/lib").filter(e -> e.metadata().isRegular()).forEach(spool::source);
      assertThat(read(spool, tree, "/lib/lib7.so")).isEqualTo("library 7");
      assertThat(passes[0]).hasValue(1);
      assertThat(passes[1]).hasValue(0);
      for (int i = 0; i < 40; i++) {
        assertThat(read(spool, tree, "/lib/lib" + i + ".so")).isEqualTo("library " + i);
      }
      spool.register(tree.walk("/m").filter(n -> n.name().equals("package.json")).toList());
      for (int i = 0; i < 40; i++) {
        assertThat(read(spool, tree, "/m/p" + i + "/package.json")).isEqualTo("{\"name\":\"p" + i + "\"}");
      }
      assertThat(passes[0]).as("the spooled libraries are not read again").hasValue(1);
      assertThat(passes[1]).as("40 package.json files registered together: one pass").hasValue(1);
      assertThat(read(spool, tree, "/m/p3/package.json")).isEqualTo("{\"name\":\"p3\"}");
      assertThat(passes[1]).hasValue(1);
    }
  }

  private static LayerBlob layer(String name, byte[] tar, AtomicInteger opened) {
    return new LayerBlob(name, () -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream(tar);
    });
  }

  private static String read(ContentSpool spool, FileTree tree, String path) throws Exception {
    try (InputStream in = spool.source(tree.lookup(path).orElseThrow()).open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
