package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.LayerBlob;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestData;
import dev.graft.testing.TestTars;
import dev.graft.testing.UmociTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** umoci, an independent OCI unpacker, is the judge of what the merged filesystem must be. */
class FileTreeUmociTest {
  @TempDir Path tmp;

  @Test
  void alpineMinirootfsMatchesUmociUnpack() throws Exception {
    assertMatchesUmoci(List.of(TestData.alpine("3.16", "x86_64")));
  }

  @Test
  void alpineWithWhiteoutsOpaqueDirsAndReplacementsMatchesUmociUnpack() throws Exception {
    Path upper = tmp.resolve("upper.tar");
    Files.write(upper, TestTars.create()
        .whiteout("etc", "motd")
        .whiteout("", "media")
        .dir("etc/apk").file("etc/apk/new", "n").opaque("etc/apk")
        .file("home", "home is a file now")
        .dir("etc/hostname").file("etc/hostname/inside", "dir now")
        .file("usr/local/app", "app", 0750, 1000, 1000)
        .hardlink("usr/local/app-link", "usr/local/app")
        .symlink("usr/local/abs", "/etc/os-release")
        .bytes());
    Map<String, String> merged = assertMatchesUmoci(List.of(TestData.alpine("3.18", "x86_64"), upper));
    // The judge really applied the rules (so equality above is not two empty views agreeing).
    assertThat(merged).doesNotContainKeys("/etc/motd", "/media", "/etc/apk/repositories")
        .containsKeys("/etc/apk/new", "/etc/hostname/inside", "/usr/local/app-link", "/bin/busybox");
    assertThat(merged.get("/home")).startsWith("file 644");
  }

  @Test
  void debianRootfsMatchesUmociUnpack() throws Exception {
    assertMatchesUmoci(List.of(TestData.debianRootfs("bookworm", "minbase")));
  }

  private Map<String, String> assertMatchesUmoci(List<Path> layers) throws IOException {
    Path layout = tmp.resolve("layout");
    OciLayouts.write(layout, "t", layers);
    Map<String, String> expected = UmociTrees.unpack(layout, "t", tmp.resolve("bundle"));

    List<LayerBlob> blobs = new ArrayList<>();
    for (Path p : layers) {
      blobs.add(new LayerBlob(p.getFileName().toString(), () -> Files.newInputStream(p)));
    }
    FileTree tree = FileTree.of(blobs);
    assertThat(describe(tree)).isEqualTo(expected);
    assertThat(expected).hasSizeGreaterThan(10);
    return expected;
  }

  /** The same one-line description UmociTrees gives, computed from our tree. */
  static Map<String, String> describe(FileTree tree) throws IOException {
    Map<ContentRef, String> hashes = new HashMap<>();
    List<TreeEntry> files = tree.walk("/").filter(e -> e.metadata().isRegular()).toList();
    tree.readContents(files, (ref, size, in) -> {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
        hashes.put(ref, HexFormat.of().formatHex(md.digest()));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    });
    Map<String, String> out = new TreeMap<>();
    tree.walk("/").filter(n -> !n.path().equals("/")).forEach(n -> {
      String type = switch (n.metadata().type()) {
        case FILE, HARDLINK -> "file";
        case DIR -> "dir";
        case SYMLINK -> "symlink";
        case CHAR -> "char";
        case BLOCK -> "block";
        case FIFO -> "fifo";
      };
      out.put(n.path(), UmociTrees.describe(type, n.metadata().mode(), n.metadata().uid(), n.metadata().gid(), n.metadata().isRegular() ? n.metadata().size() : 0,
          n.metadata().isSymlink() ? n.metadata().linkTarget() : "", n.metadata().isRegular() ? hashes.get(n.content()) : ""));
    });
    return out;
  }
}
