package dev.graft.verify;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.ElfPatch;
import dev.graft.testing.MuslSymbol;
import dev.graft.testing.NapiAddon;
import dev.graft.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each failure class of {@code graft verify}, proven on a real broken image: the image is built
 * (an OCI layout of a real base plus a layer of real files), {@code graft verify} refuses it with
 * the expected finding, and its Entrypoint really fails under chroot the way the finding says.
 * The table in README.md ("What verify proves") points here.
 */
class FailureClassesTest {
  private static final String APP = "/app/node_modules";
  @TempDir static Path shared;
  static BrokenImage.Bases bases;
  @TempDir Path tmp;

  @BeforeAll
  static void bases() {
    bases = new BrokenImage.Bases(shared);
  }

  /** Exit code 1 and exactly the expected findings ("severity CODE path"), in report order. */
  private static void assertRefused(BrokenImage.Verdict v, String... expected) {
    assertThat(v.exitCode()).as(v.err()).isEqualTo(1);
    assertThat(v.codes()).containsExactly(expected);
  }

  private static void assertFails(Tools.Result run, String expectedError) {
    assertThat(run.exitCode()).as(run.stdout()).isNotZero();
    assertThat(run.stderr()).contains(expectedError);
  }

  @Test
  void refusesAnEntrypointThatIsNotInTheImage() {
    BrokenImage.Built img = BrokenImage.alpine(bases, "3.18", Platform.LINUX_AMD64, tmp)
        .write("/app/README", "the server binary was never copied\n", false).entrypoint("/app/server").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error ENTRYPOINT_MISSING /app/server");
    assertThat(v.message("ENTRYPOINT_MISSING")).contains("the entrypoint /app/server is not in the image");
    assertFails(img.run(), "failed to run command '/app/server': No such file or directory");
  }

  @Test
  void refusesAScriptWhoseInterpreterIsMissing() {
    BrokenImage.Built img = BrokenImage.alpine(bases, "3.18", Platform.LINUX_AMD64, tmp)
        .write("/app/start.sh", "#!/bin/bash\necho started\n", true).entrypoint("/app/start.sh").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error SCRIPT_INTERPRETER_MISSING /app/start.sh");
    assertThat(v.message("SCRIPT_INTERPRETER_MISSING")).contains("#!/bin/bash", "but /bin/bash is not in the image",
        "fix: install bash in the image");
    assertFails(img.run(), "failed to run command '/app/start.sh': No such file or directory");
  }

  @Test
  void refusesABinaryWhoseLoaderIsMissing() {
    // FROM scratch + COPY node: the program loader and every library are absent
    BrokenImage.Built img = BrokenImage.scratch(Platform.LINUX_AMD64, tmp)
        .copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node").entrypoint("/usr/local/bin/node", "--version").build();
    BrokenImage.Verdict v = img.verify();
    assertThat(v.exitCode()).isEqualTo(1);
    assertThat(v.codes()).startsWith("error INTERPRETER_MISSING /usr/local/bin/node")
        .contains("error LIBRARY_MISSING /usr/local/bin/node");
    assertThat(v.message("INTERPRETER_MISSING")).contains("names the program loader /lib64/ld-linux-x86-64.so.2,"
        + " which is not in the image", "fix: add glibc's loader for x86_64");
    assertFails(img.run(), "failed to run command '/usr/local/bin/node': No such file or directory");
  }

  @Test
  void refusesABinaryWhoseNeededLibraryIsMissing() {
    BrokenImage.Built img = BrokenImage.alpine(bases, "3.18", Platform.LINUX_AMD64, tmp)
        .copy(file(BUN_X64_MUSL, "bin/bun"), "/usr/local/bin/bun").entrypoint("bun", "--version").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error LIBRARY_MISSING /usr/local/bin/bun");
    assertThat(v.message("LIBRARY_MISSING")).startsWith("libstdc++.so.6 (needed by /usr/local/bin/bun) is not found;"
        + " the musl loader searched /lib").contains("fix: apk add libstdc++ in the base image");
    assertFails(img.run(), "Error loading shared library libstdc++.so.6: No such file or directory"
        + " (needed by /usr/local/bin/bun)");
  }

  @Test
  void refusesABinaryNeedingASymbolVersionTheLibraryLacks() throws Exception {
    // node as if linked against a libstdc++ newer than bookworm's (its GLIBCXX_3.4.21 need renamed)
    BrokenImage image = BrokenImage.debian(bases, tmp).copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    ElfPatch.renameVersionNeed(tmp.resolve("layer/usr/local/bin/node"), "GLIBCXX_3.4.21", "GLIBCXX_3.4.99");
    BrokenImage.Built img = image.entrypoint("node", "--version").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error SYMBOL_VERSION /usr/local/bin/node");
    assertThat(v.message("SYMBOL_VERSION")).startsWith("/usr/local/bin/node needs GLIBCXX_3.4.99 from libstdc++.so.6,"
        + " but /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30 defines only up to GLIBCXX_3.4.30");
    assertFails(img.run(), "version `GLIBCXX_3.4.99' not found (required by node)");
  }

  /**
   * musl has no symbol versions: a program linked against a newer musl starts only where every
   * function it calls exists. testdata/musl-symbol's program (Debian's musl-gcc, musl 1.2.3) calls
   * pthread_getname_np, new in musl 1.2.3: Alpine 3.15 (musl 1.2.2) refuses it, 3.16 and 3.18 run it.
   */
  @Test
  void refusesAMuslProgramCallingAFunctionTheImagesMuslLacksAndPassesItOnANewerMusl() {
    String prog = "/usr/local/bin/getname";
    BrokenImage.Built old = BrokenImage.alpine(bases, "3.15", Platform.LINUX_AMD64, tmp.resolve("3.15"))
        .copy(MuslSymbol.getname(), prog).entrypoint(prog).build();
    BrokenImage.Verdict v = old.verify();
    assertRefused(v, "error SYMBOL_MISSING " + prog);
    assertThat(v.message("SYMBOL_MISSING")).isEqualTo(prog + " uses " + MuslSymbol.NEEDS + ", which no library it"
        + " loads defines: 'Error relocating " + prog + ": " + MuslSymbol.NEEDS + ": symbol not found'"
        + "\nfix: it was built against newer libraries than the image has: use a base image with a newer musl"
        + " (e.g. Alpine 3.18+ ships musl 1.2.4) and libraries, or a build made for this one");
    Tools.Result run = old.run();
    assertFails(run, "Error relocating " + prog + ": " + MuslSymbol.NEEDS + ": symbol not found");
    assertThat(run.exitCode()).isEqualTo(127); // musl's loader gives up before main

    for (String newer : List.of("3.16", "3.18")) {
      BrokenImage.Built img = BrokenImage.alpine(bases, newer, Platform.LINUX_AMD64, tmp.resolve(newer))
          .copy(MuslSymbol.getname(), prog).entrypoint(prog).build();
      BrokenImage.Verdict ok = img.verify();
      assertThat(ok.exitCode()).as(newer + ": " + ok.err()).isZero();
      assertThat(ok.codes()).as(newer).isEmpty();
      Tools.Result started = img.run();
      assertThat(started.exitCode()).as(newer + ": " + started.stderr()).isZero();
      assertThat(started.stdout()).isEqualTo("thread name: graft\n");
    }
  }

  @Test
  void refusesABinaryForAnotherCpuNamingItsNpmPackage() {
    // node_modules from an x86_64 machine in an arm64 image
    String esbuild = APP + "/@esbuild/linux-x64/bin/esbuild";
    BrokenImage.Built img = BrokenImage.alpine(bases, "3.18", Platform.LINUX_ARM64, tmp).placePackage(ESBUILD_X64)
        .entrypoint(esbuild, "--version").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error ARCH_MISMATCH " + esbuild, "warning NPM_PLATFORM_MISMATCH " + APP + "/@esbuild/linux-x64");
    assertThat(v.message("ARCH_MISMATCH")).startsWith(esbuild + " (npm package @esbuild/linux-x64@0.28.2) is built for"
        + " x86_64, not aarch64").contains("but the image is linux/arm64", "fix: install dependencies for linux/arm64");
    assertFails(img.run(), "Invalid ELF image for this architecture");
  }

  @Test
  void explainsAGlibcBinaryInAMuslImageWithTheFix() {
    BrokenImage.Built img = BrokenImage.alpine(bases, "3.18", Platform.LINUX_AMD64, tmp)
        .copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node").entrypoint("node", "--version").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error LIBC_MISMATCH /usr/local/bin/node");
    assertThat(v.message("LIBC_MISMATCH")).startsWith("/usr/local/bin/node is built for glibc, but the image only has"
        + " musl (an Alpine-style image)").contains("fix: use a musl build instead", "or base the image on a glibc");
    assertFails(img.run(), "failed to run command 'node': No such file or directory");
  }

  @Test
  void refusesAnAddonForAnotherNodeAbi() {
    String addon = APP + "/legacy/build/Release/legacy.node"; // compiled for Node 18, as if built locally
    BrokenImage.Built img = BrokenImage.debian(bases, tmp).copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node")
        .write(APP + "/legacy/package.json", "{\"name\":\"legacy\",\"version\":\"1.0.0\"}", false)
        .copy(file(PPROF, "prebuilds/linux-x64/node-108.node"), addon)
        .entrypoint("node", "-e", "require('" + addon + "')").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error NODE_ABI " + addon);
    assertThat(v.message("NODE_ABI")).contains("(npm package legacy@1.0.0) is compiled for NODE_MODULE_VERSION 108"
        + " (Node 18), but the image's node v20.20.2 (/usr/local/bin/node) has NODE_MODULE_VERSION 115");
    assertFails(img.run(), "NODE_MODULE_VERSION 108. This version of Node.js requires\nNODE_MODULE_VERSION 115.");
  }

  /**
   * Two addons of the project's own (testdata/napi-addon), both declaring Node-API 10: napi10
   * also calls a Node-API 10 function, declares10 only Node-API 1 functions. The same app under
   * three nodes: Node 16 (Node-API 8) ignores declared versions but lacks the function; Node 20
   * (Node-API 9) reads the declared version and refuses both; Node 22 (Node-API 10) runs both.
   */
  @Test
  void refusesAddonsNeedingANewerNodeApiAndPassesThemOnANodeThatHasIt() {
    String napi10 = APP + "/napi10/build/Release/napi10.node";
    String declares10 = APP + "/declares10/build/Release/declares10.node";
    String useNapi10 = "console.log(require('" + napi10 + "').buffer.toString())";
    String useDeclares10 = "console.log(require('" + declares10 + "').answer)";

    BrokenImage.Built node16 = napiApp(tmp.resolve("node16"), NODE16_X64);
    BrokenImage.Verdict v16 = node16.verify();
    assertRefused(v16, "error NODE_API_MISSING " + napi10);
    assertThat(v16.message("NODE_API_MISSING")).startsWith(napi10 + " (npm package napi10@1.0.0) calls "
        + NapiAddon.NEEDS + ", which the image's node v16.20.2 (/usr/local/bin/node) does not provide");
    Tools.Result run16 = node16.run("-e", useNapi10);
    assertFails(run16, "symbol lookup error: " + napi10 + ": undefined symbol: " + NapiAddon.NEEDS);
    assertThat(run16.exitCode()).isEqualTo(127); // the loader's exit, not a JavaScript exception
    assertThat(node16.run("-e", useDeclares10).stdout()).isEqualTo("42\n"); // passed by verify: it runs

    BrokenImage.Built node20 = napiApp(tmp.resolve("node20"), NODE_X64);
    BrokenImage.Verdict v20 = node20.verify();
    assertRefused(v20, "error NODE_API_VERSION " + declares10, "error NODE_API_VERSION " + napi10);
    assertThat(v20.findings().get(0).path("message").asText()).isEqualTo(declares10 + " (npm package"
        + " declares10@1.0.0) declares Node-API version 10 (node_api_module_get_api_version_v1), but the image's"
        + " node v20.20.2 (/usr/local/bin/node) supports Node-API 9: node checks that while loading the addon, and"
        + " require() fails (Node 20 and 22 crash with a segmentation fault)");
    assertThat(v20.findings().get(1).path("message").asText()).endsWith("it also calls " + NapiAddon.NEEDS
        + ", which that node lacks");
    for (String script : List.of(useDeclares10, useNapi10)) {
      Tools.Result crash = node20.run("-e", script);
      assertThat(crash.exitCode()).as(crash.stderr()).isEqualTo(128 + 11); // SIGSEGV in node's version check
    }

    BrokenImage.Built node22 = napiApp(tmp.resolve("node22"), NODE22_X64);
    BrokenImage.Verdict v22 = node22.verify();
    assertThat(v22.exitCode()).as(v22.err()).isZero();
    assertThat(v22.codes()).isEmpty();
    for (String[] scriptAndOutput : List.of(new String[] {useNapi10, "graft\n"}, new String[] {useDeclares10, "42\n"})) {
      Tools.Result ok = node22.run("-e", scriptAndOutput[0]);
      assertThat(ok.exitCode()).as(ok.stderr()).isZero();
      assertThat(ok.stdout()).isEqualTo(scriptAndOutput[1]);
    }
  }

  /** Both addons and {@code node}, the Entrypoint; the test runs it with a script. */
  private static BrokenImage.Built napiApp(Path dir, String node) {
    return BrokenImage.debian(bases, dir).copy(file(node, "bin/node"), "/usr/local/bin/node")
        .write(APP + "/napi10/package.json", "{\"name\":\"napi10\",\"version\":\"1.0.0\"}", false)
        .copy(NapiAddon.napi10(), APP + "/napi10/build/Release/napi10.node")
        .write(APP + "/declares10/package.json", "{\"name\":\"declares10\",\"version\":\"1.0.0\"}", false)
        .copy(NapiAddon.declares10(), APP + "/declares10/build/Release/declares10.node")
        .entrypoint("node").build();
  }

  @Test
  void warnsOfAnNpmPackageForAnotherCpuAndRefusesItsMissingTwin() {
    // node_modules installed on an arm64 machine, shipped in an amd64 image
    BrokenImage.Built img = BrokenImage.debian(bases, tmp).copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node")
        .placePackage(ESBUILD).placePackage(ESBUILD_ARM64)
        .entrypoint("node", "-e", "require('" + APP + "/esbuild').transformSync('let x = 1')").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error NPM_PLATFORM_PACKAGE_MISSING " + APP + "/esbuild",
        "warning NPM_PLATFORM_MISMATCH " + APP + "/@esbuild/linux-arm64");
    assertThat(v.message("NPM_PLATFORM_MISMATCH")).startsWith("package @esbuild/linux-arm64@0.28.2 is for cpu [arm64],"
        + " not this image's");
    assertFails(img.run(), "the \"@esbuild/linux-arm64\" package is present but this platform\nneeds the"
        + " \"@esbuild/linux-x64\" package instead");
  }

  @Test
  void refusesAPackageWhosePlatformSpecificOptionalDependencyIsMissing() {
    // npm install --omit=optional (or a lockfile from another OS): rollup without its native part
    BrokenImage.Built img = BrokenImage.debian(bases, tmp).copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node")
        .placePackage(ROLLUP).entrypoint("node", "-e", "require('" + APP + "/rollup')").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error NPM_PLATFORM_PACKAGE_MISSING " + APP + "/rollup");
    assertThat(v.message("NPM_PLATFORM_PACKAGE_MISSING")).startsWith("package rollup@4.68.2 needs its platform"
        + " package @rollup/rollup-linux-x64-gnu on linux-x64 (glibc), which is not installed");
    assertFails(img.run(), "Cannot find module @rollup/rollup-linux-x64-gnu");
  }

  @Test
  void refusesPrebuildsWithNoBuildForThisNode() {
    // @datadog/pprof 3.2.0 ships node-<abi>.node up to Node 20 (115); Node 22 is 127
    BrokenImage.Built img = BrokenImage.debian(bases, tmp).copy(file(NODE22_X64, "bin/node"), "/usr/local/bin/node")
        .placePackage(PPROF).placePackage(NODE_GYP_BUILD_3)
        .entrypoint("node", "-e", "require('" + APP + "/@datadog/pprof/out/src/heap-profiler-bindings.js')").build();
    BrokenImage.Verdict v = img.verify();
    assertRefused(v, "error PREBUILD_MISSING " + APP + "/@datadog/pprof");
    assertThat(v.message("PREBUILD_MISSING")).startsWith("package @datadog/pprof@3.2.0 ships prebuilds for")
        .contains("none that node-gyp-build would load on linux-x64 (glibc) with NODE_MODULE_VERSION 127");
    assertFails(img.run(), "No native build was found for runtime=node abi=127 platform=linuxglibc arch=x64");
  }
}
