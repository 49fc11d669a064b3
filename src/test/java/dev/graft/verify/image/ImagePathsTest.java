package dev.graft.verify.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlinks are resolved inside the image root, never on the host. */
class ImagePathsTest {
  @TempDir Path root;
  ImageFiles files;

  @BeforeEach
  void tree() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
    Files.writeString(root.resolve("usr/lib/x86_64-linux-gnu/libz.so.1.3"), "z");
    Files.createSymbolicLink(root.resolve("usr/lib/x86_64-linux-gnu/libz.so.1"), Path.of("libz.so.1.3"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    Files.createDirectories(root.resolve("etc"));
    files = new HostDirImageFiles(root);
  }

  @Test
  void resolvesDirectoryAndFileSymlinksRecordingTheChain() {
    ResolvedPath r = ImagePaths.resolve(files, "/lib/x86_64-linux-gnu/libz.so.1").orElseThrow();
    assertThat(r.path()).isEqualTo("/usr/lib/x86_64-linux-gnu/libz.so.1.3");
    assertThat(r.symlinks()).containsExactly("/lib", "/usr/lib/x86_64-linux-gnu/libz.so.1");
    assertThat(r.entry().isFile()).isTrue();
  }

  @Test
  void clampsDotDotAtTheImageRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../../usr/lib/x86_64-linux-gnu/libz.so.1"));
    assertThat(ImagePaths.resolve(files, "/etc/up").orElseThrow().path()).isEqualTo("/usr/lib/x86_64-linux-gnu/libz.so.1.3");
    assertThat(ImagePaths.normalize("/../../etc/./passwd")).isEqualTo("/etc/passwd");
  }

  @Test
  void appliesDotDotAfterASymlinkPhysicallyLikeTheKernel() throws IOException {
    Files.writeString(root.resolve("usr/lib/libtop.so"), "t");
    Files.createSymbolicLink(root.resolve("etc/deep"), Path.of("/usr/lib/x86_64-linux-gnu"));
    // /etc/deep/.. is /usr/lib on a real system (lexically it would be /etc)
    assertThat(ImagePaths.resolve(files, "/etc/deep/../libtop.so").orElseThrow().path()).isEqualTo("/usr/lib/libtop.so");
    assertThat(ImagePaths.resolve(files, "/etc/libtop.so")).isEmpty();
    assertThat(ImagePaths.dirname("/etc/deep/../libtop.so")).isEqualTo("/etc/deep/..");
  }

  @Test
  void refusesEscapingSymlinkToTheHost() throws IOException {
    // /etc/host -> / on the host would be the host's root; inside the image it is the image's root
    Files.createSymbolicLink(root.resolve("etc/host"), Path.of("/"));
    ResolvedPath r = ImagePaths.resolve(files, "/etc/host/etc/os-release").orElse(null);
    assertThat(r).isNull(); // the image has no /etc/os-release; the host's is never read
    assertThat(ImagePaths.resolve(files, "/etc/host/lib/x86_64-linux-gnu/libz.so.1").orElseThrow().path())
        .isEqualTo("/usr/lib/x86_64-linux-gnu/libz.so.1.3");
  }

  @Test
  void hostViewDoesNotFollowSymlinksInParents() throws IOException {
    Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
    assertThat(files.lstat("/escape/passwd")).isEmpty(); // the host's /etc/passwd exists
    assertThat(files.list("/escape")).isEmpty();
    assertThat(files.lstat("/escape").orElseThrow().isSymlink()).isTrue();
  }

  @Test
  void detectsSymlinkLoops() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("etc/b"), Path.of("a"));
    assertThat(ImagePaths.resolve(files, "/etc/a")).isEmpty();
    Files.createSymbolicLink(root.resolve("etc/self"), Path.of("."));
    assertThat(ImagePaths.resolve(files, "/etc/self/self/self/a")).isEmpty();
  }

  @Test
  void leavesAFinalSymlinkWhenAsked() {
    ResolvedPath r = ImagePaths.resolve(files, "/lib/x86_64-linux-gnu/libz.so.1", false).orElseThrow();
    assertThat(r.path()).isEqualTo("/usr/lib/x86_64-linux-gnu/libz.so.1");
    assertThat(r.entry().isSymlink()).isTrue();
  }
}
