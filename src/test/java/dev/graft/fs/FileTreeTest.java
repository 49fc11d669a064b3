package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.Bytes;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerFormatException;
import dev.graft.testing.TestTars;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileTreeTest {
  @Test
  void whiteoutHidesFileFromLowerLayer() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("etc").file("etc/a", "a").file("etc/b", "b"),
        TestTars.create().whiteout("etc", "a"));
    assertThat(tree.lookup("/etc/a")).isEmpty();
    assertThat(tree.lookup("/etc/b")).isPresent();
  }

  @Test
  void whiteoutOfDirectoryHidesItsDescendants() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("opt").dir("opt/x").file("opt/x/f", "f"),
        TestTars.create().whiteout("opt", "x"));
    assertThat(tree.walk("/opt").map(TreeEntry::path)).containsExactly("/opt");
  }

  @Test
  void opaqueDirectoryHidesLowerChildrenButKeepsItsOwnLayers() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("d").file("d/old", "old"),
        TestTars.create().dir("d").opaque("d").file("d/new", "new"));
    assertThat(tree.list("/d").stream().map(TreeEntry::path)).containsExactly("/d/new");
  }

  @Test
  void opaqueMarkerAfterFilesInSameLayerStillAppliesFirst() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("d").file("d/old", "old").file("d/kept", "old"),
        TestTars.create().dir("d").file("d/new", "new").file("d/kept", "new").opaque("d"));
    assertThat(tree.list("/d").stream().map(TreeEntry::path)).containsExactly("/d/kept", "/d/new");
    assertThat(Trees.content(tree, "/d/kept")).isEqualTo("new");
  }

  @Test
  void fileReplacesDirectoryAndItsChildren() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("x").file("x/child", "c"),
        TestTars.create().file("x", "now a file"));
    assertThat(tree.lookup("/x").orElseThrow().metadata().type()).isEqualTo(EntryType.FILE);
    assertThat(tree.lookup("/x/child")).isEmpty();
    assertThat(Trees.content(tree, "/x")).isEqualTo("now a file");
  }

  @Test
  void directoryReplacesFile() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().file("x", "file"),
        TestTars.create().dir("x", 0700, 5, 6).file("x/in", "in"));
    TreeEntry x = tree.lookup("/x").orElseThrow();
    assertThat(x.metadata().type()).isEqualTo(EntryType.DIR);
    assertThat(x.metadata().mode()).isEqualTo(0700);
    assertThat(x.metadata().uid()).isEqualTo(5);
    assertThat(tree.lookup("/x/in")).isPresent();
  }

  @Test
  void directoryOverDirectoryKeepsChildrenAndTakesNewMetadata() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("d").file("d/f", "f"),
        TestTars.create().dir("d", 0750, 1, 2));
    assertThat(tree.lookup("/d/f")).isPresent();
    assertThat(tree.lookup("/d").orElseThrow().metadata().mode()).isEqualTo(0750);
  }

  @Test
  void hardlinkSharesTargetContentAndMetadata() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("bin").file("bin/busybox", "BB", 0755, 0, 0).hardlink("bin/sh", "bin/busybox"));
    TreeEntry sh = tree.lookup("/bin/sh").orElseThrow();
    assertThat(sh.metadata().type()).isEqualTo(EntryType.HARDLINK);
    assertThat(sh.metadata().linkTarget()).isEqualTo("/bin/busybox");
    assertThat(sh.metadata().mode()).isEqualTo(0755);
    assertThat(sh.content()).isEqualTo(tree.lookup("/bin/busybox").orElseThrow().content());
    assertThat(Trees.content(tree, "/bin/sh")).isEqualTo("BB");
  }

  @Test
  void hardlinkKeepsContentWhenTargetIsLaterDeleted() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().file("a", "A").hardlink("b", "a"),
        TestTars.create().whiteout("", "a"));
    assertThat(Trees.content(tree, "/b")).isEqualTo("A");
  }

  @Test
  void hardlinkToMissingFileIsRefused() {
    assertThatThrownBy(() -> Trees.of(TestTars.create().hardlink("b", "nothere")))
        .isInstanceOf(LayerFormatException.class).hasMessageContaining("layer0").hasMessageContaining("'/b'");
  }

  @Test
  void resolvesSymlinkChainInsideImageRoot() throws Exception {
    FileTree tree = Trees.of(TestTars.create()
        .dir("usr").dir("usr/lib")
        .file("usr/lib/libstdc++.so.6.0.30", "lib")
        .symlink("usr/lib/libstdc++.so.6", "libstdc++.so.6.0.30")
        .symlink("usr/lib/libstdc++.so", "libstdc++.so.6")
        .symlink("lib", "usr/lib"));
    assertThat(tree.resolve("/lib/libstdc++.so", true)).isEqualTo("/usr/lib/libstdc++.so.6.0.30");
    assertThat(tree.resolve("/lib/libstdc++.so", false)).isEqualTo("/usr/lib/libstdc++.so");
    assertThat(tree.find("/lib/libstdc++.so").orElseThrow().metadata().size()).isEqualTo(3);
  }

  @Test
  void absoluteSymlinkResolvesInsideImageNotOnHost() throws Exception {
    FileTree tree = Trees.of(TestTars.create()
        .dir("etc").file("etc/real", "x")
        .dir("a").symlink("a/abs", "/etc/real")
        .symlink("a/up", "../../../../etc/real"));
    assertThat(tree.resolve("/a/abs", true)).isEqualTo("/etc/real");
    assertThat(tree.resolve("/a/up", true)).isEqualTo("/etc/real");
  }

  @Test
  void symlinkLoopIsReported() throws Exception {
    FileTree tree = Trees.of(TestTars.create().symlink("a", "b").symlink("b", "a"));
    assertThatThrownBy(() -> tree.resolve("/a", true)).isInstanceOf(SymlinkLoopException.class)
        .hasMessageContaining("/a");
  }

  @Test
  void entriesUnderSymlinkedDirectoryLandInItsTarget() throws Exception {
    FileTree tree = Trees.of(
        TestTars.create().dir("usr").dir("usr/lib").symlink("lib", "usr/lib"),
        TestTars.create().dir("lib").file("lib/x.so", "x"));
    // A dir entry over a symlink replaces it (as runtimes do); later layers see a real dir.
    assertThat(tree.lookup("/lib").orElseThrow().metadata().type()).isEqualTo(EntryType.DIR);
    FileTree merged = Trees.of(
        TestTars.create().dir("usr").dir("usr/lib").symlink("lib", "usr/lib"),
        TestTars.create().file("lib/x.so", "x"));
    assertThat(merged.lookup("/usr/lib/x.so")).isPresent();
    assertThat(merged.lookup("/lib").orElseThrow().metadata().isSymlink()).isTrue();
  }

  @Test
  void keepsModesOwnersAndBinaryCapabilityXattr() throws Exception {
    // security.capability v2 granting cap_setpcap (bit 8 → byte 0x80... not valid UTF-8 on its own)
    byte[] cap = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Map<String, byte[]> x = new HashMap<>();
    x.put("security.capability", cap);
    FileTree tree = Trees.of(TestTars.create().dir("bin", 0711, 3, 4)
        .fileWithXattrs("bin/ping", "p", 04755, x));
    TreeEntry ping = tree.lookup("/bin/ping").orElseThrow();
    assertThat(ping.metadata().mode()).isEqualTo(04755);
    assertThat(ping.metadata().xattrs()).containsEntry("security.capability", new Bytes(cap));
    TreeEntry bin = tree.lookup("/bin").orElseThrow();
    assertThat(List.of(bin.metadata().mode(), (int) bin.metadata().uid(), (int) bin.metadata().gid())).containsExactly(0711, 3, 4);
  }

  @Test
  void readsGzipAndZstdLayers() throws Exception {
    TestTars t = TestTars.create().dir("d").file("d/f", "hello");
    for (byte[] bytes : List.of(t.gzip(), t.zstd(), t.bytes())) {
      FileTree tree = FileTree.of(List.of(Trees.blob("l", bytes)));
      assertThat(Trees.content(tree, "/d/f")).isEqualTo("hello");
    }
  }
}
