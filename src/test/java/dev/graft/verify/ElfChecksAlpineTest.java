package dev.graft.verify;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.Rootfs;
import dev.graft.verify.loader.ImageContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdicts on real Alpine trees with real npm binaries placed in them, each confirmed by running it. */
class ElfChecksAlpineTest {
  @TempDir Path tmp;

  private static ImageContext ctx(Rootfs fs, String platform) {
    return ImageContext.of(fs.files(), Platform.parse(platform), List.of("PATH=/usr/local/bin:/usr/bin:/bin"));
  }

  @Test
  void reportsAScriptEntrypointWhoseInterpreterIsMissingAndItFailsToStart() throws Exception {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    fs.write("/app/start.sh", "#!/bin/bash\necho started\n");
    fs.write("/app/env.sh", "#!/usr/bin/env node\nconsole.log(1)\n");
    fs.write("/app/ok.sh", "#!/bin/sh\necho started\n");
    for (String s : List.of("/app/start.sh", "/app/env.sh", "/app/ok.sh")) {
      java.nio.file.Files.setPosixFilePermissions(fs.host(s), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    ImageContext c = ctx(fs, "linux/amd64");
    assertThat(ImageVerifier.verify(c, List.of("/app/start.sh"), "t").findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo("SCRIPT_INTERPRETER_MISSING");
      assertThat(f.message()).contains("but /bin/bash is not in the image");
    });
    assertThat(ImageVerifier.verify(c, List.of("/app/env.sh"), "t").findings()).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("but node is not on the image's PATH"));
    assertThat(ImageVerifier.verify(c, List.of("/app/ok.sh"), "t").findings()).isEmpty();
    assertThat(fs.run("/app/start.sh").stderr()).contains("No such file or directory");
    assertThat(fs.run("/app/env.sh").stderr()).contains("env: can't execute 'node': No such file or directory");
    assertThat(fs.run("/app/ok.sh").stdout()).isEqualTo("started\n");
  }

  @Test
  void passesBusyboxAndItRuns() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    assertThat(ElfChecks.check(ctx(fs, "linux/amd64"), "/bin/busybox")).isEmpty();
    assertThat(fs.run("/bin/busybox", "true").exitCode()).isZero();
  }

  @Test
  void explainsGlibcNodeInMuslImageAndItFailsToStart() {
    Rootfs fs = Rootfs.alpine("3.15", "x86_64", tmp);
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    List<Finding> f = ElfChecks.check(ctx(fs, "linux/amd64"), "/usr/local/bin/node");
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.ERROR);
      assertThat(x.code()).isEqualTo("LIBC_MISMATCH");
      assertThat(x.message()).isEqualTo("/usr/local/bin/node is built for glibc, but the image only has musl"
          + " (an Alpine-style image): its loader /lib64/ld-linux-x86-64.so.2 does not exist, so starting it fails"
          + " with 'No such file or directory'");
      assertThat(x.fix()).contains("use a musl build instead", "debian:bookworm-slim");
    });
    var run = fs.run("/usr/local/bin/node", "--version");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("No such file or directory");
  }

  @Test
  void namesTheNpmPackageOfAnArm64BinaryInAnX86Image() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    String pkg = fs.placePackage(ESBUILD_ARM64);
    List<Finding> f = ElfChecks.check(ctx(fs, "linux/amd64"), pkg + "/bin/esbuild");
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("ARCH_MISMATCH");
      assertThat(x.message()).startsWith("/app/node_modules/@esbuild/linux-arm64/bin/esbuild"
          + " (npm package @esbuild/linux-arm64@0.28.2) is built for aarch64, not x86_64");
      assertThat(x.message()).contains("but the image is linux/amd64", "Exec format error");
      assertThat(x.fix()).contains("--cpu=x64");
    });
    var run = fs.run(pkg + "/bin/esbuild", "--version");
    assertThat(run.exitCode()).isNotZero();
    // execve fails with ENOEXEC; chroot's execvp then hands the file to /bin/sh, which chokes on it
    assertThat(run.stderr()).containsAnyOf("Exec format error", "syntax error");
  }

  @Test
  void passesStaticEsbuildOfTheRightArchAndItRuns() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    String pkg = fs.placePackage(ESBUILD_X64);
    assertThat(ElfChecks.check(ctx(fs, "linux/amd64"), pkg + "/bin/esbuild")).isEmpty();
    var run = fs.run(pkg + "/bin/esbuild", "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout().trim()).isEqualTo("0.28.2");
  }

  @Test
  void reportsMissingLibstdcxxForBunWithTheApkFix() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    fs.copyFile(file(BUN_X64_MUSL, "bin/bun"), "/usr/local/bin/bun");
    List<Finding> f = ElfChecks.check(ctx(fs, "linux/amd64"), "/usr/local/bin/bun");
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("LIBRARY_MISSING");
      assertThat(x.message()).startsWith("libstdc++.so.6 (needed by /usr/local/bin/bun) is not found; the musl loader"
          + " searched /lib (musl default path), /usr/local/lib (musl default path), /usr/lib (musl default path)");
      assertThat(x.fix()).startsWith("apk add libstdc++ in the base image, or graft libstdc++.so.6 from the builder");
    });
    assertThat(fs.run("/usr/local/bin/bun", "--version").stderr())
        .contains("Error loading shared library libstdc++.so.6: No such file or directory (needed by /usr/local/bin/bun)");
  }

  @Test
  void flagsX86AddonInArm64ImageAndArm64LoaderRefusesIt() {
    Rootfs fs = Rootfs.alpine("3.18", "aarch64", tmp);
    String pkg = fs.placePackage(ROLLUP_X64_MUSL);
    String addon = pkg + "/rollup.linux-x64-musl.node";
    List<Finding> f = ElfChecks.check(ctx(fs, "linux/arm64"), addon);
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("ARCH_MISMATCH");
      assertThat(x.message()).contains("(npm package @rollup/rollup-linux-x64-musl@4.68.2) is built for x86_64, not aarch64");
    });
    Rootfs.Ldd ldd = fs.muslLdd("/lib/ld-musl-aarch64.so.1", addon, java.util.Map.of());
    // musl maps it without checking e_machine, then cannot apply its x86_64 relocations
    assertThat(ldd.output()).contains("Error relocating " + addon + ": unsupported relocation type");
  }

  @Test
  void passesTheMatchingArm64AddonWhoseLibcIsMuslItself() {
    Rootfs fs = Rootfs.alpine("3.18", "aarch64", tmp);
    String pkg = fs.placePackage(ROLLUP_ARM64_MUSL);
    String addon = pkg + "/rollup.linux-arm64-musl.node";
    assertThat(ElfChecks.check(ctx(fs, "linux/arm64"), addon)).isEmpty();
    Rootfs.Ldd ldd = fs.muslLdd("/lib/ld-musl-aarch64.so.1", addon, java.util.Map.of());
    assertThat(ldd.found()).containsEntry("libc.so", "/lib/ld-musl-aarch64.so.1");
    assertThat(ldd.missing()).isEmpty();
  }
}
