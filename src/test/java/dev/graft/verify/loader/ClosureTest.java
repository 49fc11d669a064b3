package dev.graft.verify.loader;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.Rootfs;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closure is proven sufficient by running: only its files (and symlinks) are copied into an
 * empty root, and the program starts there under chroot.
 */
class ClosureTest {
  @TempDir Path tmp;

  /** Copies exactly {@code paths} from one root into an empty directory: symlinks as symlinks. */
  private static Rootfs copyOnly(Rootfs from, Set<String> paths, Path dir, String arch) throws IOException {
    for (String p : paths) {
      Path src = from.host(p);
      Path dst = dir.resolve(p.substring(1));
      Files.createDirectories(dst.getParent());
      if (Files.isSymbolicLink(src)) {
        Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
      } else {
        Files.copy(src, dst, LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return new Rootfs(dir, arch);
  }

  @Test
  void nodeClosureFromDebianHoldsLoaderLibrariesAndSymlinksAndRunsAlone() throws IOException {
    Rootfs debian = Rootfs.debian("bookworm", tmp.resolve("debian"));
    debian.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    ImageContext ctx = ImageContext.of(debian.files(), Platform.parse("linux/amd64"), List.of());
    Closure c = Closure.of(ctx, List.of("/usr/local/bin/node"));
    assertThat(c.missing()).isEmpty();
    assertThat(c.problems()).isEmpty();
    assertThat(c.paths()).contains(
        "/usr/local/bin/node",
        "/lib64", // -> usr/lib64: the interpreter's path goes through it
        "/usr/lib64/ld-linux-x86-64.so.2",
        "/lib", // -> usr/lib
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
        "/usr/lib/x86_64-linux-gnu/libc.so.6");
    assertThat(c.paths()).doesNotContain("/bin/bash", "/usr/bin/apt");

    Rootfs alone = copyOnly(debian, c.paths(), tmp.resolve("alone"), "x86_64");
    Tools.Result run = alone.run("/usr/local/bin/node", "--version");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout().trim()).isEqualTo("v20.20.2");
  }

  @Test
  void addonClosureFollowsRunpathAndRunsUnderNodeAlone() throws IOException {
    Rootfs debian = Rootfs.debian("bookworm", tmp.resolve("debian"));
    debian.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    debian.placePackage(ONNXRUNTIME);
    ImageContext ctx = ImageContext.of(debian.files(), Platform.parse("linux/amd64"), List.of());
    List<String> addons = Closure.addonsUnder(ctx, "/app/node_modules");
    assertThat(addons).containsExactly(
        "/app/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node",
        "/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node");
    String x64 = addons.get(1);
    Closure c = Closure.of(ctx, List.of("/usr/local/bin/node", x64));
    assertThat(c.paths()).contains(x64, "/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1");

    Rootfs alone = copyOnly(debian, c.paths(), tmp.resolve("alone"), "x86_64");
    Tools.Result run = alone.run("/usr/local/bin/node", "-e", "require('" + x64 + "'); console.log('loaded')");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("loaded");
  }

  @Test
  void apkClosureFromAlpineRunsAlone() throws IOException {
    Rootfs alpine = Rootfs.alpine("3.18", "x86_64", tmp.resolve("alpine"));
    ImageContext ctx = ImageContext.of(alpine.files(), Platform.parse("linux/amd64"), List.of());
    Closure c = Closure.of(ctx, List.of("/sbin/apk"));
    // no /lib/libc.musl-x86_64.so.1: musl answers libc.* names with itself and never opens that symlink
    assertThat(c.paths()).containsExactly(
        "/lib/ld-musl-x86_64.so.1", "/lib/libapk.so.2.14.0", "/lib/libcrypto.so.3",
        "/lib/libssl.so.3", "/lib/libz.so.1", "/lib/libz.so.1.2.13", "/sbin/apk");
    Rootfs alone = copyOnly(alpine, c.paths(), tmp.resolve("alone"), "x86_64");
    Tools.Result run = alone.run("/sbin/apk", "--version");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).startsWith("apk-tools 2.14");
  }
}
