package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.ExampleApp;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example (the official glibc node grafted with closure: auto onto Alpine 3.16, with bcrypt@6)
 * without {@code LIBC=glibc}: node-gyp-build picks bcrypt's musl prebuild because
 * /etc/alpine-release exists. graft verify says what node will do with it, and running the images
 * under chroot (amd64) and qemu (arm64) shows it: on amd64 glibc's loader loads the musl build
 * with musl's libc beside glibc and bcrypt works by accident (a warning); on arm64 the musl build
 * needs {@code libc.so}, which glibc's loader cannot find (an error).
 */
class ExampleLibcTest {
  private static final String BCRYPT = "/app/node_modules/bcrypt";
  private static final String RESOLVE = "console.log(require('/app/node_modules/node-gyp-build').resolve('" + BCRYPT + "'))";

  @TempDir static Path shared;
  static String withoutLibc;
  static String withLibc;

  @BeforeAll
  static void build() throws IOException {
    Path app = ExampleApp.copyTo(shared.resolve("app"));
    Path yaml = app.resolve("graft.yaml");
    String text = Files.readString(yaml);
    assertThat(text).contains("    LIBC: glibc\n");
    Path cache = shared.resolve("cache");
    withLibc = "oci-archive:" + shared.resolve("with-libc.tar");
    CliRun with = CliRun.of("build", "-f", yaml.toString(), "--cache-dir", cache.toString(), "--to", withLibc, "-q");
    assertThat(with.exitCode()).as(with.err()).isZero();

    Files.writeString(yaml, text.replace("    LIBC: glibc\n", ""));
    withoutLibc = "oci-archive:" + shared.resolve("without-libc.tar");
    // strict verification refuses the arm64 image: build it anyway, to run it
    CliRun without = CliRun.of("build", "-f", yaml.toString(), "--cache-dir", cache.toString(), "--to", withoutLibc,
        "--verify=warn", "-q");
    assertThat(without.exitCode()).as(without.err()).isZero();
  }

  @Test
  void withoutLibcVerifyWarnsThatBcryptsMuslBuildWorksByAccidentOnAmd64AndItRuns(@TempDir Path tmp) {
    CliRun verify = CliRun.of("verify", "--platform", "linux/amd64", withoutLibc);
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("0 errors, 1 warning", "[LIBC_MISMATCH] " + BCRYPT
        + "/prebuilds/linux-x64/bcrypt.musl.node");
    assertThat(verify.out()).contains("is built for musl, but node (/usr/local/bin/node) is a glibc program",
        "node-gyp-build picks it because /etc/alpine-release exists and LIBC is not set",
        "it maps /lib/libc.musl-x86_64.so.1 → /lib/ld-musl-x86_64.so.1 beside glibc", "it works by accident",
        "fix: set LIBC=glibc in the image's environment (graft.yaml: config.env) so node-gyp-build picks "
            + BCRYPT + "/prebuilds/linux-x64/bcrypt.glibc.node, or run a musl node instead");

    UnpackedImage image = UnpackedImage.of(tmp, withoutLibc, "amd64");
    Tools.Result picked = image.run(Map.of(), "node", "-e", RESOLVE);
    assertThat(picked.stdout().trim()).as(picked.stderr()).isEqualTo(BCRYPT + "/prebuilds/linux-x64/bcrypt.musl.node");
    Tools.Result run = image.runEntrypoint();
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"arch\":\"x64\"", "\"bcrypt\":true");
  }

  @Test
  void withoutLibcVerifyRefusesArm64WhereGlibcsLoaderCannotFindTheMuslBuildsLibcAndItFailsToLoad(@TempDir Path tmp) {
    CliRun verify = CliRun.of("verify", "--platform", "linux/arm64", withoutLibc);
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("1 error, 0 warnings", "[LIBC_MISMATCH] " + BCRYPT
        + "/prebuilds/linux-arm64/bcrypt.musl.node");
    assertThat(verify.out()).contains("is built for musl, but node (/usr/local/bin/node) is a glibc program",
        "and that loader cannot load it: libc.so (needed by " + BCRYPT + "/prebuilds/linux-arm64/bcrypt.musl.node)"
            + " is not found; the glibc loader of /usr/local/bin/node searched /lib/aarch64-linux-gnu",
        "so node-gyp-build picks " + BCRYPT + "/prebuilds/linux-arm64/bcrypt.glibc.node");

    UnpackedImage image = UnpackedImage.of(tmp, withoutLibc, "arm64");
    Tools.Result picked = image.run(Map.of(), "node", "-e", RESOLVE);
    assertThat(picked.stdout().trim()).as(picked.stderr()).isEqualTo(BCRYPT + "/prebuilds/linux-arm64/bcrypt.musl.node");
    Tools.Result run = image.runEntrypoint();
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("Error: libc.so: cannot open shared object file: No such file or directory");
    // the fix verify names works
    Tools.Result fixed = image.run(Map.of("LIBC", "glibc"), image.args().toArray(String[]::new));
    assertThat(fixed.exitCode()).as(fixed.stderr()).isZero();
    assertThat(fixed.stdout()).contains("\"arch\":\"arm64\"", "\"bcrypt\":true");
  }

  @Test
  void withLibcGlibcVerifyFindsNothingAndNodeGypBuildPicksTheGlibcBuild(@TempDir Path tmp) {
    CliRun verify = CliRun.of("verify", "--all", withLibc);
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("(linux/amd64): no problems found", "(linux/arm64/v8): no problems found");
    for (String arch : List.of("amd64", "arm64")) {
      UnpackedImage image = UnpackedImage.of(tmp.resolve(arch), withLibc, arch);
      Tools.Result picked = image.run(Map.of(), "node", "-e", RESOLVE);
      assertThat(picked.stdout().trim()).as(picked.stderr())
          .isEqualTo(BCRYPT + "/prebuilds/linux-" + (arch.equals("amd64") ? "x64" : "arm64") + "/bcrypt.glibc.node");
      Tools.Result run = image.runEntrypoint();
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("\"bcrypt\":true");
    }
  }
}
