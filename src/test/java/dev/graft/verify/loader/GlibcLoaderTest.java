package dev.graft.verify.loader;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.elf.ElfFile;
import dev.graft.oci.Platform;
import dev.graft.testing.ElfPatch;
import dev.graft.testing.Rootfs;
import dev.graft.testing.Tools;
import dev.graft.verify.ElfChecks;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.node.NodeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * glibc loader emulation and checks on a real Debian bookworm rootfs (debootstrap), with Node
 * and addons from npm; every verdict is compared with glibc's own {@code ld.so --list} in a
 * chroot, and confirmed by running node.
 */
class GlibcLoaderTest {
  private static final String LDSO = "/lib64/ld-linux-x86-64.so.2";
  @TempDir static Path tmp;
  static Rootfs fs;

  @BeforeAll
  static void debian() {
    fs = Rootfs.debian("bookworm", tmp);
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    fs.placePackage(BCRYPT);
    fs.placePackage(ONNXRUNTIME);
  }

  private static LoaderResolution resolve(String path, List<String> ldLibraryPath) {
    ImageFiles files = fs.files();
    ElfCache elfs = new ElfCache(files);
    ElfFile elf = elfs.get(ImagePaths.resolve(files, path).orElseThrow().path());
    return DynamicLoader.resolve(elfs, GlibcLoader.of(files, ProcessIdentity.of(elf), ldLibraryPath), path);
  }

  private static ImageContext ctx() {
    return ImageContext.of(fs.files(), Platform.parse("linux/amd64"), List.of("PATH=/usr/local/bin:/usr/bin:/bin"));
  }

  private static void assertAgreesWithGlibc(LoaderResolution r, String path, Map<String, String> env) {
    Rootfs.Ldd ldd = fs.glibcLdd(LDSO, path, env);
    assertThat(ldd.found()).as(ldd.output()).isNotEmpty();
    ldd.found().forEach((name, file) -> {
      String real = ImagePaths.resolve(fs.files(), file).orElseThrow().path();
      assertThat(r.names().get(name)).as(name + " in\n" + ldd.output()).isEqualTo(real);
    });
    assertThat(r.missing().stream().map(MissingLibrary::name).distinct().toList())
        .as(ldd.output()).containsExactlyInAnyOrderElementsOf(ldd.missing());
  }

  private static Tools.Result node(String script) {
    return fs.run("/usr/local/bin/node", "-e", script);
  }

  @Test
  void resolvesNodeThroughLdSoConfLikeGlibcAndNodeRuns() {
    LoaderResolution r = resolve("/usr/local/bin/node", List.of());
    assertThat(r.complete()).isTrue();
    LoadedObject cxx = r.byName("libstdc++.so.6").orElseThrow();
    assertThat(cxx.realPath()).isEqualTo("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30");
    assertThat(cxx.foundVia()).isEqualTo("/etc/ld.so.conf");
    assertThat(r.byName("ld-linux-x86-64.so.2").orElseThrow().foundVia()).isEqualTo("PT_INTERP");
    assertThat(SymbolVersionCheck.check(r)).isEmpty();
    assertThat(ElfChecks.check(ctx(), "/usr/local/bin/node")).isEmpty();
    assertAgreesWithGlibc(r, "/usr/local/bin/node", Map.of());
    assertThat(node("console.log(process.versions.modules)").stdout().trim()).isEqualTo("115");
  }

  @Test
  void tellsNodesVersionFromItsReleaseUrlWithoutHeadersAndFromHeadersWhenInstalled() {
    NodeRuntime bare = NodeRuntime.detect(ctx(), "/usr/local/bin/node").orElseThrow();
    assertThat(bare.version()).isEqualTo("20.20.2");
    assertThat(bare.moduleVersion()).isEqualTo(115);
    assertThat(bare.napiVersion()).isEqualTo(-1);
    assertThat(bare.source()).startsWith("the release URL");
    fs.copyFile(file(NODE_X64, "bin/node"), "/opt/node/bin/node");
    fs.copyTree(pkg(NODE_X64).resolve("include"), "/opt/node/include");
    NodeRuntime withHeaders = NodeRuntime.detect(ctx(), "/opt/node/bin/node").orElseThrow();
    assertThat(withHeaders.moduleVersion()).isEqualTo(115);
    assertThat(withHeaders.napiVersion()).isEqualTo(9);
    assertThat(withHeaders.source()).isEqualTo("/opt/node/include/node/node_version.h");
    // what node itself says
    assertThat(node("console.log(process.version, process.versions.modules, process.versions.napi)").stdout().trim())
        .isEqualTo("v20.20.2 115 9");
  }

  @Test
  void passesGlibcBcryptAddonAndNodeLoadsIt() {
    String addon = "/app/node_modules/bcrypt/prebuilds/linux-x64/bcrypt.glibc.node";
    assertThat(ElfChecks.check(ctx(), addon)).isEmpty();
    assertAgreesWithGlibc(resolve(addon, List.of()), addon, Map.of());
    Tools.Result run = node("const b = require('" + addon + "'); console.log(typeof b.gen_salt_sync)");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
  }

  @Test
  void explainsMuslAddonInGlibcImageAndNodeFailsToLoadIt() {
    String addon = "/app/node_modules/bcrypt/prebuilds/linux-x64/bcrypt.musl.node";
    assertThat(ElfChecks.check(ctx(), addon)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo("LIBC_MISMATCH");
      assertThat(f.message()).isEqualTo(addon + " (npm package bcrypt@6.0.0) is built for musl, but the image only has"
          + " glibc (a Debian/Ubuntu-style image): loading it fails with 'Error loading shared library"
          + " libc.musl-x86_64.so.1'");
    });
    Tools.Result run = node("require('" + addon + "')");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("libc.musl-x86_64.so.1: cannot open shared object file");
  }

  @Test
  void findsOnnxruntimeThroughRunpathOrigin() {
    String addon = "/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node";
    LoaderResolution r = resolve(addon, List.of());
    LoadedObject ort = r.byName("libonnxruntime.so.1").orElseThrow();
    assertThat(ort.realPath()).isEqualTo("/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1");
    assertThat(ort.foundVia()).isEqualTo("RUNPATH of " + addon);
    assertThat(ElfChecks.check(ctx(), addon)).isEmpty();
    assertAgreesWithGlibc(r, addon, Map.of());
    Tools.Result run = node("require('" + addon + "'); console.log('ok')");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
  }

  @Test
  void searchesLdLibraryPathBeforeRunpathAndSkipsAnArm64Copy() {
    String addon = "/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node";
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/arm64/libonnxruntime.so.1"), "/opt/arm/libonnxruntime.so.1");
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/libonnxruntime.so.1"), "/opt/x64/libonnxruntime.so.1");
    LoaderResolution r = resolve(addon, List.of("/opt/arm", "/opt/x64"));
    LoadedObject ort = r.byName("libonnxruntime.so.1").orElseThrow();
    assertThat(ort.realPath()).isEqualTo("/opt/x64/libonnxruntime.so.1");
    assertThat(ort.foundVia()).isEqualTo("LD_LIBRARY_PATH");
    assertAgreesWithGlibc(r, addon, Map.of("LD_LIBRARY_PATH", "/opt/arm:/opt/x64"));
  }

  @Test
  void searchesRpathBeforeLdLibraryPathWhenThereIsNoRunpath() throws Exception {
    String dir = "/app/rpath";
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/onnxruntime_binding.node"), dir + "/binding.node");
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/libonnxruntime.so.1"), dir + "/libonnxruntime.so.1");
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/libonnxruntime.so.1"), "/opt/ldp/libonnxruntime.so.1");
    ElfPatch.runpathToRpath(fs.host(dir + "/binding.node"));
    LoaderResolution r = resolve(dir + "/binding.node", List.of("/opt/ldp"));
    LoadedObject ort = r.byName("libonnxruntime.so.1").orElseThrow();
    assertThat(ort.realPath()).isEqualTo(dir + "/libonnxruntime.so.1");
    assertThat(ort.foundVia()).isEqualTo("RPATH of " + dir + "/binding.node");
    assertAgreesWithGlibc(r, dir + "/binding.node", Map.of("LD_LIBRARY_PATH", "/opt/ldp"));
  }

  @Test
  void reportsAMissingSymbolVersionNamingTheLibraryAndGlibcRefusesTheSame() throws Exception {
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node-newer");
    ElfPatch.renameVersionNeed(fs.host("/usr/local/bin/node-newer"), "GLIBCXX_3.4.21", "GLIBCXX_3.4.99");
    assertThat(ElfChecks.check(ctx(), "/usr/local/bin/node-newer")).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo("SYMBOL_VERSION");
      assertThat(f.message()).isEqualTo("/usr/local/bin/node-newer needs GLIBCXX_3.4.99 from libstdc++.so.6, but"
          + " /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30 defines only up to GLIBCXX_3.4.30"
          + " ('version `GLIBCXX_3.4.99' not found' at run time)");
    });
    Tools.Result run = fs.run("/usr/local/bin/node-newer", "--version");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("version `GLIBCXX_3.4.99' not found (required by /usr/local/bin/node-newer)");
  }

  @Test
  void readsLdSoConfIncludesAsLdconfigDoes() {
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/libonnxruntime.so.1"), "/opt/conf/libonnxruntime.so.1");
    fs.copyFile(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/onnxruntime_binding.node"), "/opt/bin/binding.node");
    fs.write("/etc/ld.so.conf.d/zz-graft-test.conf", "# test\n/opt/conf\n");
    Tools.runOk(Duration.ofMinutes(1), fs.chroot("/sbin/ldconfig").toArray(String[]::new));
    LoaderResolution r = resolve("/opt/bin/binding.node", List.of());
    assertThat(r.byName("libonnxruntime.so.1").orElseThrow().foundVia()).isEqualTo("/etc/ld.so.conf");
    assertAgreesWithGlibc(r, "/opt/bin/binding.node", Map.of());
  }
}
