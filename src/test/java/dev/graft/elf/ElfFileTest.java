package dev.graft.elf;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.AlpineRootfs;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ElfFile against real binaries from npm and Alpine, cross-checked with binutils' readelf. */
class ElfFileTest {
  @TempDir Path tmp;

  @Test
  void readsGlibcNodeForX86_64() throws IOException {
    ElfFile node = ElfFile.parse(file(NODE_X64, "bin/node"));
    assertThat(node.bits()).isEqualTo(64);
    assertThat(node.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(node.knownMachine()).contains(ElfMachine.X86_64);
    assertThat(node.type()).isEqualTo(ElfType.EXECUTABLE);
    assertThat(node.interpreter()).contains("/lib64/ld-linux-x86-64.so.2");
    assertThat(node.needed()).contains("libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6");
    assertThat(node.versionsNeededFrom("libstdc++.so.6")).contains("GLIBCXX_3.4.21", "CXXABI_1.3.9");
    assertThat(node.versionsNeededFrom("libc.so.6")).contains("GLIBC_2.28");
    assertThat(node.isStatic()).isFalse();
  }

  @Test
  void readsGlibcNodeForAarch64() throws IOException {
    ElfFile node = ElfFile.parse(file(NODE_ARM64, "bin/node"));
    assertThat(node.knownMachine()).contains(ElfMachine.AARCH64);
    assertThat(node.interpreter()).contains("/lib/ld-linux-aarch64.so.1");
    assertThat(node.needed()).contains("libstdc++.so.6");
    assertThat(node.versionNeeds().keySet()).contains("libstdc++.so.6", "libc.so.6");
  }

  @Test
  void readsAlpineBusyboxAsMuslExecutable() {
    ElfFile bb = ElfFile.parse(AlpineRootfs.file("3.16", "x86_64", "bin/busybox"), "busybox");
    assertThat(bb.interpreter()).contains("/lib/ld-musl-x86_64.so.1");
    assertThat(bb.needed()).contains("libc.musl-x86_64.so.1");
    assertThat(bb.knownMachine()).contains(ElfMachine.X86_64);
    assertThat(bb.versionNeeds()).isEmpty(); // musl has no symbol versioning
  }

  @Test
  void readsArmv7BusyboxAs32BitHardFloat() {
    ElfFile bb = ElfFile.parse(AlpineRootfs.file("3.16", "armv7", "bin/busybox"), "busybox");
    assertThat(bb.bits()).isEqualTo(32);
    assertThat(bb.knownMachine()).contains(ElfMachine.ARM);
    assertThat(bb.isArmHardFloat()).isTrue();
    assertThat(bb.interpreter()).contains("/lib/ld-musl-armhf.so.1");
    assertThat(bb.summary()).contains("32-bit", "arm (hard-float)");
  }

  @Test
  void readsAarch64MuslLoaderAsSharedObjectWithSoname() {
    ElfFile ld = ElfFile.parse(AlpineRootfs.file("3.18", "aarch64", "lib/ld-musl-aarch64.so.1"), "ld-musl");
    assertThat(ld.knownMachine()).contains(ElfMachine.AARCH64);
    assertThat(ld.type()).isEqualTo(ElfType.SHARED_OBJECT);
    assertThat(ld.interpreter()).isEmpty();
  }

  @Test
  void tellsNodeApiAddonsFromTheirSymbols() throws IOException {
    // bcrypt registers through the imported napi_module_register (node-addon-api's NAPI_MODULE)
    ElfFile bcrypt = ElfFile.parse(file(BCRYPT, "prebuilds/linux-x64/bcrypt.musl.node"));
    assertThat(bcrypt.nodeSymbols().importedNodeApi()).contains("napi_module_register");
    assertThat(bcrypt.nodeSymbols().isNodeApi()).isTrue();
    assertThat(bcrypt.nodeSymbols().isAbiSpecific()).isFalse();
    assertThat(bcrypt.needed()).containsExactly("libstdc++.so.6", "libgcc_s.so.1", "libc.musl-x86_64.so.1");
    // sharp exports the Node-API 9+ entry points
    ElfFile sharp = ElfFile.parse(file(SHARP_MUSL_X64, "lib/sharp-linuxmusl-x64-0.35.5.node"));
    assertThat(sharp.nodeSymbols().entryPoints())
        .containsExactly("napi_register_module_v1", "node_api_module_get_api_version_v1");
    assertThat(sharp.rpath()).contains("$ORIGIN/../../sharp-libvips-linuxmusl-x64/lib");
  }

  @Test
  void readsTheNodeApiVersionAnAddonDeclaresOnX86_64AndAarch64() throws IOException {
    // what objdump shows: mov $0x9,%eax; ret / mov $0x6,%eax; ret / movz w0,#6; ret
    assertThat(declared(file(SHARP_MUSL_X64, "lib/sharp-linuxmusl-x64-0.35.5.node"))).isEqualTo(9);
    assertThat(declared(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/onnxruntime_binding.node"))).isEqualTo(6);
    assertThat(declared(file(ONNXRUNTIME, "bin/napi-v6/linux/arm64/onnxruntime_binding.node"))).isEqualTo(6);
    assertThat(declared(dev.graft.testing.NapiAddon.napi10())).isEqualTo(10); // gcc -O2 -DNAPI_VERSION=10
    // declares none: registers through napi_module_register
    assertThat(declared(file(BCRYPT, "prebuilds/linux-x64/bcrypt.glibc.node"))).isEqualTo(-1);
  }

  private static int declared(Path addon) throws IOException {
    return ElfFile.parse(addon).nodeSymbols().declaredNodeApiVersion();
  }

  @Test
  void tellsAbiSpecificAddonsAndNodesOwnNodeApi() throws IOException {
    ElfFile pprof = ElfFile.parse(file(PPROF, "prebuilds/linux-x64/node-108.node"));
    assertThat(pprof.nodeSymbols().entryPoints()).containsExactly("node_register_module_v108");
    assertThat(pprof.nodeSymbols().isAbiSpecific()).isTrue();
    assertThat(pprof.nodeSymbols().nodeModuleVersion()).isEqualTo(108);
    ElfFile node = ElfFile.parse(file(NODE_X64, "bin/node"));
    assertThat(node.nodeSymbols().exportedNodeApi()).contains("napi_create_function", "napi_module_register",
        "node_api_get_module_file_name");
    ElfFile bcrypt = ElfFile.parse(file(BCRYPT, "prebuilds/linux-x64/bcrypt.glibc.node"));
    assertThat(node.nodeSymbols().exportedNodeApi()).containsAll(bcrypt.nodeSymbols().importedNodeApi());
  }

  /**
   * ElfFile reads only the names it records ({@code napi_*}, {@code node_*}, V8's and node's C++
   * imports), judged on their bytes: what it says of node 22 (90,184 dynamic symbols), an N-API
   * addon and an ABI-specific one equals what readelf lists.
   */
  @Test
  void nodeSymbolsAgreeWithReadelfsDynamicSymbols() throws Exception {
    for (Path f : List.of(file(NODE22_X64, "bin/node"), file(BCRYPT, "prebuilds/linux-x64/bcrypt.glibc.node"),
        file(PPROF, "prebuilds/linux-x64/node-108.node"))) {
      List<String[]> syms = readelfDynamicSymbols(f); // {bind, ndx, name}
      NodeSymbols ns = ElfFile.parse(f).nodeSymbols();
      assertThat(ns.entryPoints()).as(f.toString()).isEqualTo(syms.stream()
          .filter(s -> !s[1].equals("UND") && NodeSymbols.isEntryPoint(s[2])).map(s -> s[2]).sorted().distinct().toList());
      assertThat(ns.exportedNodeApi()).as(f.toString()).isEqualTo(syms.stream()
          .filter(s -> !s[1].equals("UND") && NodeSymbols.isNodeApi(s[2]) && !NodeSymbols.isEntryPoint(s[2]))
          .map(s -> s[2]).sorted().distinct().toList());
      assertThat(ns.importedNodeApi()).as(f.toString()).isEqualTo(syms.stream()
          .filter(s -> s[1].equals("UND") && NodeSymbols.isNodeApi(s[2]) && !NodeSymbols.isEntryPoint(s[2]))
          .map(s -> s[2]).sorted().distinct().toList());
      assertThat(ns.importsNodeInternals()).as(f.toString()).isEqualTo(syms.stream().anyMatch(s -> s[1].equals("UND")
          && (s[2].startsWith("_ZN2v8") || s[2].startsWith("_ZN4node") || s[2].equals("node_module_register"))));
    }
    assertThat(ElfFile.parse(file(NODE22_X64, "bin/node")).nodeSymbols().exportedNodeApi()).hasSizeGreaterThan(100);
  }

  /** readelf's global, weak and unique dynamic symbols as {bind, section index, name without version}. */
  private static List<String[]> readelfDynamicSymbols(Path f) throws Exception {
    Process p = new ProcessBuilder("readelf", "--dyn-syms", "-W", f.toString()).redirectErrorStream(true).start();
    List<String[]> out = new java.util.ArrayList<>();
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).lines()) {
      lines.map(String::trim).filter(l -> l.matches("\\d+:.*")).forEach(l -> {
        String[] c = l.split("\\s+");
        if (c.length >= 8 && (c[4].equals("GLOBAL") || c[4].equals("WEAK") || c[4].equals("UNIQUE"))) {
          String name = c[7].contains("@") ? c[7].substring(0, c[7].indexOf('@')) : c[7];
          out.add(new String[] {c[4], c[6], name});
        }
      });
    }
    assertThat(p.waitFor()).isZero();
    assertThat(out).isNotEmpty();
    return out;
  }

  @Test
  void readsBcryptGlibcPrebuildsForEveryLinuxArch() throws IOException {
    ElfFile arm = ElfFile.parse(file(BCRYPT, "prebuilds/linux-arm/bcrypt.glibc.node"));
    assertThat(arm.bits()).isEqualTo(32);
    assertThat(arm.isArmHardFloat()).isTrue();
    assertThat(arm.needed()).contains("libc.so.6");
    ElfFile arm64 = ElfFile.parse(file(BCRYPT, "prebuilds/linux-arm64/bcrypt.musl.node"));
    assertThat(arm64.knownMachine()).contains(ElfMachine.AARCH64);
    // cross-built: names musl's libc by its link-time name, which musl's loader maps to itself
    assertThat(arm64.needed()).containsExactly("libstdc++.so.6", "libgcc_s.so.1", "libc.so");
  }

  @Test
  void readsOnnxruntimeRunpathOrigin() throws IOException {
    ElfFile onnx = ElfFile.parse(file(ONNXRUNTIME, "bin/napi-v6/linux/x64/onnxruntime_binding.node"));
    assertThat(onnx.runpath()).containsExactly("$ORIGIN/");
    assertThat(onnx.needed()).startsWith("libonnxruntime.so.1");
    assertThat(onnx.soname()).contains("onnxruntime_binding.node");
    ElfFile lib = ElfFile.parse(file(ONNXRUNTIME, "bin/napi-v6/linux/arm64/libonnxruntime.so.1"));
    assertThat(lib.soname()).contains("libonnxruntime.so.1");
    assertThat(lib.versionDefs()).containsExactly("VERS_1.30.0");
    assertThat(lib.dynFlags() & ElfFile.DF_BIND_NOW).isNotZero(); // DT_FLAGS BIND_NOW, as readelf shows
    assertThat(lib.bindNow()).isTrue();
    assertThat(ElfFile.parse(file(BUN_X64_MUSL, "bin/bun")).bindNow()).isFalse();
  }

  @Test
  void readsEsbuildAsStatic() throws IOException {
    for (String spec : List.of(ESBUILD_X64, ESBUILD_ARM64)) {
      ElfFile esbuild = ElfFile.parse(file(spec, "bin/esbuild"));
      assertThat(esbuild.isStatic()).as(spec).isTrue();
      assertThat(esbuild.needed()).isEmpty();
    }
  }

  @Test
  void readsBunMuslNeedingLibstdcxx() throws IOException {
    ElfFile bun = ElfFile.parse(file(BUN_X64_MUSL, "bin/bun"));
    assertThat(bun.interpreter()).contains("/lib/ld-musl-x86_64.so.1");
    assertThat(bun.needed()).contains("libstdc++.so.6");
  }

  static Stream<String[]> npmElfFiles() {
    return Stream.of(
        new String[] {NODE_X64, "bin/node"},
        new String[] {NODE_ARM64, "bin/node"},
        new String[] {BCRYPT, "prebuilds/linux-x64/bcrypt.glibc.node"},
        new String[] {BCRYPT, "prebuilds/linux-arm64/bcrypt.glibc.node"},
        new String[] {BCRYPT, "prebuilds/linux-arm/bcrypt.musl.node"},
        new String[] {SHARP_MUSL_X64, "lib/sharp-linuxmusl-x64-0.35.5.node"},
        new String[] {LIBVIPS_MUSL_X64, "lib/libvips-cpp.so.8.18.7"},
        new String[] {ROLLUP_X64_MUSL, "rollup.linux-x64-musl.node"},
        new String[] {ROLLUP_ARM64_MUSL, "rollup.linux-arm64-musl.node"},
        new String[] {ESBUILD_X64, "bin/esbuild"},
        new String[] {BUN_X64_MUSL, "bin/bun"},
        new String[] {ONNXRUNTIME, "bin/napi-v6/linux/x64/onnxruntime_binding.node"},
        new String[] {ONNXRUNTIME, "bin/napi-v6/linux/arm64/libonnxruntime.so.1"});
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("npmElfFiles")
  void agreesWithReadelfOnNpmBinaries(String spec, String path) throws IOException {
    assertAgreesWithReadelf(file(spec, path));
  }

  @ParameterizedTest
  @MethodSource("alpineFiles")
  void agreesWithReadelfOnAlpineBinaries(String arch, String path) throws IOException {
    Path f = tmp.resolve(arch + "-" + path.replace('/', '_'));
    Files.write(f, AlpineRootfs.file("3.18", arch, path));
    assertAgreesWithReadelf(f);
  }

  static Stream<String[]> alpineFiles() {
    return Stream.of("x86_64", "aarch64", "armv7").flatMap(a -> Stream.of(
        new String[] {a, "bin/busybox"},
        new String[] {a, "lib/libz.so.1.2.13"},
        new String[] {a, "lib/libssl.so.3"},
        new String[] {a, "sbin/apk"}));
  }

  private static void assertAgreesWithReadelf(Path f) throws IOException {
    ElfFile ours = ElfFile.parse(f);
    Readelf theirs = Readelf.of(f);
    assertThat(ours.interpreter()).isEqualTo(theirs.interpreter());
    assertThat(ours.needed()).isEqualTo(theirs.needed());
    assertThat(ours.soname()).isEqualTo(theirs.soname());
    assertThat(ours.rpath()).isEqualTo(theirs.rpath());
    assertThat(ours.runpath()).isEqualTo(theirs.runpath());
    assertThat(ours.versionNeeds().keySet()).isEqualTo(theirs.versionNeeds().keySet());
    theirs.versionNeeds().forEach((file, versions) ->
        assertThat(ours.versionsNeededFrom(file)).as(file).containsExactlyInAnyOrderElementsOf(versions));
    assertThat(ours.versionDefs()).containsExactlyInAnyOrderElementsOf(theirs.versionDefs());
  }
}
