package dev.graft.verify.loader;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfMachine;
import dev.graft.testing.Rootfs;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * musl loader emulation on real Alpine minirootfs trees; every verdict is compared with what
 * musl's own loader (ld-musl in ldd mode, in a chroot, under qemu for other arches) says.
 */
class MuslLoaderTest {
  @TempDir Path tmp;

  private static LoaderResolution resolve(Rootfs fs, String path, List<String> ldLibraryPath) {
    ImageFiles files = fs.files();
    ElfCache elfs = new ElfCache(files);
    ElfFile elf = elfs.get(ImagePaths.resolve(files, path).orElseThrow().path());
    MuslLoader rules = new MuslLoader(files, ProcessIdentity.of(elf), ldLibraryPath);
    return DynamicLoader.resolve(elfs, rules, path);
  }

  /** Our names → files agree with ld-musl --list: same files found, same names missing. */
  private static void assertAgreesWithMusl(Rootfs fs, LoaderResolution r, String path, Map<String, String> env) {
    Rootfs.Ldd ldd = fs.muslLdd(r.rules().interpreter(), path, env);
    assertThat(ldd.found()).as(ldd.output()).isNotEmpty();
    ldd.found().forEach((name, file) -> {
      if (!file.equals(r.rules().interpreter()) || r.names().containsKey(name)) {
        String real = ImagePaths.resolve(fs.files(), file).orElseThrow().path();
        assertThat(r.names().get(name)).as(name + " in\n" + ldd.output()).isEqualTo(real);
      }
    });
    assertThat(r.missing().stream().map(MissingLibrary::name).toList())
        .as(ldd.output()).containsExactlyInAnyOrderElementsOf(ldd.missing());
  }

  @Test
  void resolvesApkLibrariesThroughSymlinksLikeMusl() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    LoaderResolution r = resolve(fs, "/sbin/apk", List.of());
    assertThat(r.complete()).isTrue();
    assertThat(r.interpreterFound()).isTrue();
    LoadedObject libz = r.byName("libz.so.1").orElseThrow();
    assertThat(libz.path()).isEqualTo("/lib/libz.so.1");
    assertThat(libz.realPath()).isEqualTo("/lib/libz.so.1.2.13");
    assertThat(libz.symlinks()).containsExactly("/lib/libz.so.1");
    assertThat(libz.foundVia()).isEqualTo("musl default path");
    assertThat(r.byName("libc.musl-x86_64.so.1").orElseThrow().realPath()).isEqualTo("/lib/ld-musl-x86_64.so.1");
    assertAgreesWithMusl(fs, r, "/sbin/apk", Map.of());
  }

  @Test
  void reportsLibstdcxxMissingForBunInBareAlpineAndMuslFailsTheSameWay() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    fs.copyFile(file(BUN_X64_MUSL, "bin/bun"), "/usr/local/bin/bun");
    LoaderResolution r = resolve(fs, "/usr/local/bin/bun", List.of());
    assertThat(r.complete()).isFalse();
    assertThat(r.missing()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("libstdc++.so.6");
      assertThat(m.neededBy()).isEqualTo("/usr/local/bin/bun");
      assertThat(m.searched()).containsExactly(
          "/lib (musl default path)", "/usr/local/lib (musl default path)", "/usr/lib (musl default path)");
    });
    var run = fs.run("/usr/local/bin/bun", "--version");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr())
        .contains("Error loading shared library libstdc++.so.6: No such file or directory (needed by /usr/local/bin/bun)");
  }

  @Test
  void resolvesMuslLibcByItsReservedNamesForARustAddon() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    String pkg = fs.placePackage(ROLLUP_X64_MUSL);
    String addon = pkg + "/rollup.linux-x64-musl.node";
    LoaderResolution r = resolve(fs, addon, List.of());
    assertThat(r.complete()).isTrue();
    assertThat(r.byName("libc.so").orElseThrow().realPath()).isEqualTo("/lib/ld-musl-x86_64.so.1");
    assertAgreesWithMusl(fs, r, addon, Map.of());
  }

  @Test
  void followsSharpRpathIntoLibvipsAndInheritsItForLibvipsDependencies() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    String sharp = fs.placePackage(SHARP_MUSL_X64);
    fs.placePackage(LIBVIPS_MUSL_X64);
    String addon = sharp + "/lib/sharp-linuxmusl-x64-0.35.5.node";
    LoaderResolution r = resolve(fs, addon, List.of());
    LoadedObject vips = r.byName("libvips-cpp.so.8.18.7").orElseThrow();
    assertThat(vips.realPath()).isEqualTo("/app/node_modules/@img/sharp-libvips-linuxmusl-x64/lib/libvips-cpp.so.8.18.7");
    assertThat(vips.foundVia()).startsWith("RPATH of " + addon);
    // the minirootfs has no libstdc++/libgcc: both the addon and libvips miss them, as musl says
    assertThat(r.missing()).extracting(MissingLibrary::name)
        .containsExactlyInAnyOrder("libstdc++.so.6", "libgcc_s.so.1", "libstdc++.so.6", "libgcc_s.so.1");
    assertAgreesWithMusl(fs, r, addon, Map.of());
  }

  @Test
  void findsTheSymbolANewerMuslAddedExactlyAsMuslReportsUnresolvedSymbols() {
    // libvips 1.3.4 (built on musl 1.2.4) calls pthread_getname_np, which Alpine 3.15's musl 1.2.2 lacks
    for (String version : List.of("3.15", "3.18")) {
      Rootfs fs = Rootfs.alpine(version, "x86_64", tmp.resolve(version));
      String lib = fs.placePackage(LIBVIPS_MUSL_X64) + "/lib/libvips-cpp.so.8.18.7";
      LoaderResolution r = resolve(fs, lib, List.of());
      java.util.Set<String> ours = new java.util.TreeSet<>();
      for (SymbolCheck.MissingSymbol m : SymbolCheck.check(new ElfCache(fs.files()), r, java.util.Set.of())) {
        ours.add(m.objectPath() + ": " + m.symbol());
      }
      Rootfs.Ldd ldd = fs.muslLdd("/lib/ld-musl-x86_64.so.1", lib, Map.of());
      // libstdc++ is not in the minirootfs: its C++ symbols are unresolved in both; musl lists them all
      assertThat(ours).as(version).isEqualTo(ldd.unresolvedSymbols()).isNotEmpty();
      assertThat(ours.contains(lib + ": pthread_getname_np")).as(version).isEqualTo(version.equals("3.15"));
    }
  }

  @Test
  void searchesLdLibraryPathFirstAndThePathFileInsteadOfTheDefaults() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    fs.copyFile(fs.host("/lib/libz.so.1.2.13"), "/opt/z/libz.so.1");
    fs.copyFile(fs.host("/lib/libssl.so.3"), "/opt/ssl/libssl.so.3");
    fs.write("/etc/ld-musl-x86_64.path", "/opt/z\n/lib:/usr/lib\n");
    LoaderResolution r = resolve(fs, "/sbin/apk", List.of("/opt/ssl"));
    assertThat(r.byName("libz.so.1").orElseThrow().foundVia()).isEqualTo("/etc/ld-musl-x86_64.path");
    assertThat(r.byName("libz.so.1").orElseThrow().realPath()).isEqualTo("/opt/z/libz.so.1");
    assertThat(r.byName("libssl.so.3").orElseThrow().foundVia()).isEqualTo("LD_LIBRARY_PATH");
    assertAgreesWithMusl(fs, r, "/sbin/apk", Map.of("LD_LIBRARY_PATH", "/opt/ssl"));
  }

  @Test
  void aPathFileWithoutLibLosesTheLibrariesThere() {
    Rootfs fs = Rootfs.alpine("3.18", "x86_64", tmp);
    fs.write("/etc/ld-musl-x86_64.path", "/usr/lib\n");
    LoaderResolution r = resolve(fs, "/sbin/apk", List.of());
    assertThat(r.missing()).extracting(MissingLibrary::name).contains("libz.so.1");
    assertAgreesWithMusl(fs, r, "/sbin/apk", Map.of());
  }

  @Test
  void resolvesAarch64AddonUnderQemuLikeMusl() {
    Rootfs fs = Rootfs.alpine("3.18", "aarch64", tmp);
    String pkg = fs.placePackage(BCRYPT);
    String addon = pkg + "/prebuilds/linux-arm64/bcrypt.musl.node";
    LoaderResolution r = resolve(fs, addon, List.of());
    assertThat(r.rules().identity().machine()).isEqualTo(ElfMachine.AARCH64);
    assertThat(r.byName("libc.so").orElseThrow().realPath()).isEqualTo("/lib/ld-musl-aarch64.so.1");
    assertThat(r.missing()).extracting(MissingLibrary::name).containsExactly("libstdc++.so.6", "libgcc_s.so.1");
    assertAgreesWithMusl(fs, r, addon, Map.of());
  }

  @Test
  void resolvesArmv7HardFloatBusyboxUnderQemu() {
    Rootfs fs = Rootfs.alpine("3.16", "armv7", tmp);
    LoaderResolution r = resolve(fs, "/bin/busybox", List.of());
    assertThat(r.complete()).isTrue();
    assertThat(r.interpreter()).contains("/lib/ld-musl-armhf.so.1");
    assertAgreesWithMusl(fs, r, "/bin/busybox", Map.of());
    assertThat(fs.run("/bin/busybox", "true").exitCode()).isZero();
  }

  @Test
  void resolvesArmv7MuslAddonUnderQemuLikeMusl() {
    Rootfs fs = Rootfs.alpine("3.18", "armv7", tmp);
    String addon = fs.placePackage(BCRYPT) + "/prebuilds/linux-arm/bcrypt.musl.node";
    LoaderResolution r = resolve(fs, addon, List.of());
    assertThat(r.rules().interpreter()).isEqualTo("/lib/ld-musl-armhf.so.1");
    assertThat(r.missing()).extracting(MissingLibrary::name).containsExactly("libstdc++.so.6", "libgcc_s.so.1");
    assertAgreesWithMusl(fs, r, addon, Map.of());
  }
}
