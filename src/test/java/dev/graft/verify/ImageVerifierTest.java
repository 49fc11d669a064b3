package dev.graft.verify;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.graft.oci.Platform;
import dev.graft.testing.Rootfs;
import dev.graft.testing.Tools;
import dev.graft.verify.loader.ImageContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-image verdicts on a real Debian rootfs with node and real npm packages, each verdict
 * confirmed by what node itself does there.
 */
class ImageVerifierTest {
  private static final String APP = "/app/node_modules";
  @TempDir Path tmp;

  @Test
  void findsExactlyTheRuntimeFailuresOfABrokenDebianApp() {
    Rootfs fs = Rootfs.debian("bookworm", tmp);
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    fs.copyTree(pkg(NODE_X64).resolve("include"), "/usr/local/include"); // node_version.h, as node tarballs ship
    for (String spec : List.of(BCRYPT, NODE_GYP_BUILD, ESBUILD, ROLLUP, ROLLUP_X64_MUSL, PPROF, ONNXRUNTIME)) {
      fs.placePackage(spec);
    }
    // an addon compiled for Node 18, installed as if built locally (build/Release)
    fs.write(APP + "/legacy/package.json", "{\"name\":\"legacy\",\"version\":\"1.0.0\"}");
    fs.copyFile(file(PPROF, "prebuilds/linux-x64/node-108.node"), APP + "/legacy/build/Release/legacy.node");

    ImageContext ctx = ImageContext.of(fs.files(), Platform.parse("linux/amd64"),
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    Report report = ImageVerifier.verify(ctx, List.of("node", "/app/index.js"), "test image linux/amd64");

    assertThat(report.findings()).extracting(Finding::severity, Finding::code, Finding::path).containsExactly(
        tuple(Severity.ERROR, "NPM_PLATFORM_PACKAGE_MISSING", APP + "/esbuild"),
        tuple(Severity.ERROR, "NODE_ABI", APP + "/legacy/build/Release/legacy.node"),
        tuple(Severity.ERROR, "NPM_PLATFORM_PACKAGE_MISSING", APP + "/rollup"),
        tuple(Severity.WARNING, "NPM_PLATFORM_MISMATCH", APP + "/@rollup/rollup-linux-x64-musl"));
    assertThat(report.hasErrors()).isTrue();
    assertThat(report.findings().get(0).message()).contains("@esbuild/linux-x64");
    assertThat(report.findings().get(1).message()).contains("NODE_MODULE_VERSION 108 (Node 18)",
        "node v20.20.2 (/usr/local/bin/node) has NODE_MODULE_VERSION 115");
    assertThat(report.findings().get(2).message()).contains("@rollup/rollup-linux-x64-gnu");
    assertThat(report.render()).startsWith("test image linux/amd64: 3 errors, 1 warning (checked ")
        .contains("node v20.20.2 at /usr/local/bin/node").contains(")\n\nERRORS\n");

    // node agrees on every verdict, and on what passed:
    assertThat(node(fs, "require('" + APP + "/legacy/build/Release/legacy.node')").stderr())
        .contains("using\nNODE_MODULE_VERSION 108. This version of Node.js requires\nNODE_MODULE_VERSION 115.");
    assertThat(node(fs, "require('" + APP + "/esbuild').transformSync('let x = 1')").stderr())
        .contains("The package \"@esbuild/linux-x64\" could not be found");
    assertThat(node(fs, "require('" + APP + "/rollup')").stderr()).contains("@rollup/rollup-linux-x64-gnu");
    Tools.Result bcrypt = node(fs, "console.log(require('" + APP + "/bcrypt').hashSync('x', 4).length)");
    assertThat(bcrypt.exitCode()).as(bcrypt.stderr()).isZero();
    Tools.Result pprof = node(fs, "require('" + APP + "/@datadog/pprof/prebuilds/linux-x64/node-115.node')");
    assertThat(pprof.exitCode()).as(pprof.stderr()).isZero();
  }

  /**
   * LIBC=musl in a glibc image (a setting copied from an Alpine Dockerfile): node-gyp-build obeys it
   * and hands node bcrypt's musl build, whose libc.musl-x86_64.so.1 glibc's loader finds nowhere.
   */
  @Test
  void refusesTheMuslPrebuildLibcMuslMakesNodeGypBuildPickInAGlibcImageAndNodeFailsToLoadIt() {
    Rootfs fs = Rootfs.debian("bookworm", tmp);
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    fs.placePackage(BCRYPT);
    fs.placePackage(NODE_GYP_BUILD);
    String musl = APP + "/bcrypt/prebuilds/linux-x64/bcrypt.musl.node";
    List<String> path = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    Report plain = ImageVerifier.verify(ImageContext.of(fs.files(), Platform.parse("linux/amd64"), path),
        List.of("node"), "t");
    assertThat(plain.findings()).isEmpty();

    List<String> env = new java.util.ArrayList<>(path);
    env.add("LIBC=musl");
    Report report = ImageVerifier.verify(ImageContext.of(fs.files(), Platform.parse("linux/amd64"), env),
        List.of("node"), "t");
    assertThat(report.findings()).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.code()).isEqualTo("LIBC_MISMATCH");
      assertThat(f.path()).isEqualTo(musl);
      assertThat(f.message()).startsWith(musl + " (npm package bcrypt@6.0.0) is built for musl, but node"
          + " (/usr/local/bin/node) is a glibc program that loads it with glibc's loader; node-gyp-build picks it"
          + " because LIBC=musl is set in the image's environment, and that loader cannot load it:"
          + " libc.musl-x86_64.so.1 (needed by " + musl + ") is not found");
      assertThat(f.fix()).startsWith("set LIBC=glibc in the image's environment (graft.yaml: config.env) so"
          + " node-gyp-build picks " + APP + "/bcrypt/prebuilds/linux-x64/bcrypt.glibc.node");
    });

    Tools.Result run = fs.runWithEnv(java.util.Map.of("LIBC", "musl"), "/usr/local/bin/node", "-e",
        "console.log(require('" + APP + "/bcrypt').hashSync('x', 4).length)");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("libc.musl-x86_64.so.1: cannot open shared object file");
    Tools.Result glibc = node(fs, "console.log(require('" + APP + "/node-gyp-build').resolve('" + APP + "/bcrypt'))");
    assertThat(glibc.stdout().trim()).as(glibc.stderr()).isEqualTo(APP + "/bcrypt/prebuilds/linux-x64/bcrypt.glibc.node");
  }

  /**
   * node-gyp-build looks for a musl build wherever /etc/alpine-release exists: a package that ships
   * only glibc prebuilds has none for it, even under a glibc node.
   */
  @Test
  void refusesAPackageWithOnlyGlibcPrebuildsWhereAlpineReleaseMakesNodeGypBuildLookForMusl() throws Exception {
    Rootfs fs = Rootfs.debian("bookworm", tmp);
    fs.copyFile(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    fs.placePackage(BCRYPT);
    fs.placePackage(NODE_GYP_BUILD);
    for (String arch : List.of("x64", "arm64", "arm")) {
      java.nio.file.Files.delete(fs.host(APP + "/bcrypt/prebuilds/linux-" + arch + "/bcrypt.musl.node"));
    }
    fs.write("/etc/alpine-release", "3.16.9\n");
    List<String> env = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    Report report = ImageVerifier.verify(ImageContext.of(fs.files(), Platform.parse("linux/amd64"), env),
        List.of("node"), "t");
    assertThat(report.findings()).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.code()).isEqualTo("PREBUILD_MISSING");
      assertThat(f.path()).isEqualTo(APP + "/bcrypt");
      assertThat(f.message()).contains("require() fails with 'No native build was found' (node-gyp-build looks for"
          + " platform=linux arch=x64 runtime=node abi=115 uv=1 libc=musl; libc musl because /etc/alpine-release"
          + " exists and LIBC is not set)");
    });
    Tools.Result run = node(fs, "require('" + APP + "/bcrypt')");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("No native build was found for platform=linux arch=x64 runtime=node abi=115 uv=1"
        + " libc=musl node=20.20.2");
    Tools.Result withLibc = fs.runWithEnv(java.util.Map.of("LIBC", "glibc"), "/usr/local/bin/node", "-e",
        "console.log(require('" + APP + "/bcrypt').hashSync('x', 4).length)");
    assertThat(withLibc.stdout().trim()).as(withLibc.stderr()).isEqualTo("60");
  }

  private static Tools.Result node(Rootfs fs, String script) {
    return fs.run("/usr/local/bin/node", "-e", script);
  }
}
