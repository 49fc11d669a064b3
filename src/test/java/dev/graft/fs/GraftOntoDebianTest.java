package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.Layer;
import dev.graft.layer.LayerBlob;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LayerOptions;
import dev.graft.layer.LayerWriter;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestData;
import dev.graft.testing.UmociTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemonless COPY --from, end to end: Alpine's musl loader and a library grafted onto real Debian. */
class GraftOntoDebianTest {
  @TempDir Path tmp;

  @Test
  void graftKeepsDebiansMergedUsrSymlinksAndDirectoryOwnership() throws Exception {
    Path debianTar = TestData.debianRootfs("bookworm", "minbase");
    Path alpineTgz = TestData.alpine("3.18", "x86_64");
    FileTree debian = FileTree.of(List.of(new LayerBlob("debian", () -> Files.newInputStream(debianTar))));
    FileTree alpine = FileTree.of(List.of(new LayerBlob("alpine", () -> Files.newInputStream(alpineTgz))));
    assertThat(debian.lookup("/lib").orElseThrow().metadata().isSymlink()).isTrue();

    List<LayerEntry> entries;
    Layer layer;
    try (ContentSpool spool = new ContentSpool(alpine, tmp.resolve("spool"))) {
      entries = CopiedEntries.entries(alpine, Selection.of("/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1", "/lib/libz.so.1*"), "alpine:3.18",
          debian, spool);
      layer = LayerWriter.write(entries, LayerOptions.defaults(), tmp.resolve("graft.tar.gz"));
    }
    // Placed through /lib -> usr/lib; no entry for /lib, /usr or /usr/lib (the base keeps its own).
    assertThat(entries).extracting(LayerEntry::path).containsExactly(
        "/usr/lib/ld-musl-x86_64.so.1", "/usr/lib/libc.musl-x86_64.so.1", "/usr/lib/libz.so.1",
        "/usr/lib/libz.so.1.2.13");

    Path layout = tmp.resolve("oci");
    OciLayouts.write(layout, "t", List.of(debianTar, layer.blob()));
    Map<String, String> unpacked = UmociTrees.unpack(layout, "t", tmp.resolve("bundle"));
    assertThat(unpacked.get("/lib")).startsWith("symlink 777 0:0 0 usr/lib ");
    assertThat(unpacked.get("/usr/lib/libc.musl-x86_64.so.1")).startsWith("symlink 777 0:0 0 ld-musl-x86_64.so.1 ");
    assertThat(unpacked.get("/usr/lib/ld-musl-x86_64.so.1")).startsWith("file 755 0:0");
    assertThat(unpacked.get("/usr/lib")).isEqualTo(describeDir(debian, "/usr/lib"));
  }

  private static String describeDir(FileTree tree, String path) {
    TreeEntry n = tree.lookup(path).orElseThrow();
    return UmociTrees.describe("dir", n.metadata().mode(), n.metadata().uid(), n.metadata().gid(), 0, "", "");
  }
}
