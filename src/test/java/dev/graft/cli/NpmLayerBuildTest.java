package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.NpmApp;
import dev.graft.testing.NpmFixtures;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code from: npm} in a real build: the fixture app's dependencies laid out for amd64 and arm64
 * on the example's glibc image with Node 22 grafted in (libc: auto reads it), then run — amd64
 * under chroot, arm64 under qemu — where esbuild transforms TypeScript, sharp resizes an image,
 * bcrypt hashes, better-sqlite3 runs a query and rollup's native parser parses. Rebuilds: an
 * unchanged lockfile is a no-op; one changed dependency fetches one tarball and rewrites one layer.
 */
class NpmLayerBuildTest {

  /** An app directory: graft.yaml, the lockfile, main.js, and node 22 of {@code arch}. */
  static Path app(Path dir, String arch) throws IOException {
    Files.createDirectories(dir.resolve("app/src"));
    Files.copy(NpmApp.dir().resolve("package.json"), dir.resolve("app/package.json"));
    Files.copy(NpmApp.lockfile(), dir.resolve("app/package-lock.json"));
    Files.copy(NpmApp.dir().resolve("main.js"), dir.resolve("app/src/main.js"));
    Path node = NpmFixtures.file(arch.equals("amd64") ? NpmFixtures.NODE22_X64 : NpmFixtures.NODE22_ARM64, "bin/node");
    Files.createDirectories(dir.resolve("node22/bin"));
    Files.copy(node, dir.resolve("node22/bin/node"));
    Files.writeString(dir.resolve("graft.yaml"), """
        base: oci:%s/builder:latest
        platforms: [linux/%s]
        layers:
          - { name: node22, from: ./node22, paths: [bin/node], to: /usr/local }
          - name: deps
            from: npm
            lockfile: ./app/package-lock.json
            to: /app
          - { name: main, from: ./app/src, to: /app }
        config:
          entrypoint: [node, /app/main.js]
        """.formatted(ExampleApp.images(), arch));
    return dir;
  }

  static CliRun build(Path app, Path cache, Path out) {
    CliRun r = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir", cache.toString(),
        "--to", "oci:" + out + ":latest", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  @ParameterizedTest(name = "linux/{0}")
  @CsvSource({"amd64, x64", "arm64, arm64"})
  void theDependenciesRunInTheBuiltImage(String arch, String nodeArch, @TempDir Path tmp) throws IOException {
    Path app = app(tmp.resolve("app"), arch);
    CliRun r = build(app, cacheSharingTarballs(tmp.resolve("cache")), tmp.resolve("out"));
    JsonNode findings = Json.MAPPER.readTree(r.out()).get("platforms").get(0).get("findings");
    assertThat(findings.toString()).contains("NPM_PACKAGES", "linux/" + nodeArch + " glibc", "NPM_PRUNED");

    UnpackedImage image = UnpackedImage.of(tmp.resolve("run"), "oci:" + tmp.resolve("out") + ":latest", arch);
    assertThat(image.rootfs().resolve("app/node_modules/@esbuild/linux-" + nodeArch + "/bin/esbuild")).exists();
    assertThat(image.rootfs().resolve("app/node_modules/better-sqlite3/prebuilds/win32-x64.node")).doesNotExist();
    // qemu-user without binfmt_misc runs one foreign program, not the children it spawns: on arm64
    // esbuild's binary is run by the test itself instead of by the JS API
    boolean emulated = arch.equals("arm64");
    Tools.Result run = emulated ? image.run(Map.of("SKIP_SPAWN", "1"), "node", "/app/main.js") : image.runEntrypoint();
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonNode out = Json.MAPPER.readTree(run.stdout().strip());
    assertThat(out.get("esbuild").asBoolean()).isTrue();
    assertThat(out.get("sharp").asText()).isEqualTo("4x4 png");
    assertThat(out.get("bcrypt").asBoolean()).isTrue();
    assertThat(out.get("sqlite").asInt()).isEqualTo(42);
    assertThat(out.get("rollup").asText()).isEqualTo("VariableDeclaration");
    assertThat(out.get("node").asText()).startsWith("v22.");
    assertThat(out.get("arch").asText()).isEqualTo(nodeArch);
    Files.writeString(image.rootfs().resolve("app/x.ts"), "const n: number = 6 * 7;\nexport default n;\n");
    Tools.Result ts = image.run(Map.of(), "/app/node_modules/@esbuild/linux-" + nodeArch + "/bin/esbuild", "/app/x.ts");
    assertThat(ts.stdout()).as(ts.stderr()).contains("const n = 6 * 7;");
    if (!emulated) {
      // the esbuild CLI runs through the launcher npm ci --ignore-scripts leaves (it spawns the binary)
      Tools.Result cli = image.run(Map.of(), "node", "/app/node_modules/.bin/esbuild", "--version");
      assertThat(cli.stdout().strip()).as(cli.stderr()).isEqualTo("0.28.2");
    }
  }

  @Test
  void theReadmeExampleWithFromNpmBuildsVerifiesAndRunsOnBothPlatforms(@TempDir Path tmp) throws IOException {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Files.copy(TestData.projectRoot().resolve("testdata/example/graft-npm.yaml"), app.resolve("graft-npm.yaml"));
    CliRun r = CliRun.of("build", "-f", app.resolve("graft-npm.yaml").toString(), "--cache-dir",
        cacheSharingTarballs(tmp.resolve("cache")).toString(), "--to", "oci:" + tmp.resolve("out") + ":latest");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("lay out npm packages of layer 'deps'");
    for (String arch : List.of("amd64", "arm64")) {
      UnpackedImage image = UnpackedImage.of(tmp.resolve("run-" + arch), "oci:" + tmp.resolve("out") + ":latest", arch);
      String cpu = arch.equals("amd64") ? "x64" : "arm64";
      assertThat(image.rootfs().resolve("app/node_modules/bcrypt/prebuilds/linux-" + cpu + "/bcrypt.glibc.node")).exists();
      assertThat(image.rootfs().resolve("app/node_modules/bcrypt/prebuilds/linux-" + cpu + "/bcrypt.musl.node"))
          .doesNotExist(); // prune: platform, libc known from the grafted glibc node
      Tools.Result run = image.runEntrypoint();
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      JsonNode out = Json.MAPPER.readTree(run.stdout().strip());
      assertThat(out.get("bcrypt").asBoolean()).isTrue();
      assertThat(out.get("arch").asText()).isEqualTo(cpu);
    }
  }

  @Test
  void anUnchangedLockfileIsANoOpAndOneChangedDependencyFetchesOneTarballAndRewritesOneLayer(@TempDir Path tmp)
      throws IOException {
    Path app = app(tmp.resolve("app"), "amd64");
    Path cache = tmp.resolve("cache");
    JsonNode first = layers(build(app, cache, tmp.resolve("first")));
    assertThat(first.findValuesAsText("cached")).containsOnly("false");
    List<String> tarballs = tarballs(cache);

    JsonNode again = layers(build(app, cache, tmp.resolve("again")));
    assertThat(again.findValuesAsText("cached")).containsOnly("true");
    assertThat(again.findValuesAsText("digest")).isEqualTo(first.findValuesAsText("digest"));
    assertThat(tarballs(cache)).isEqualTo(tarballs);

    // ms 2.1.3 -> 2.1.2 (real registry values)
    Path lock = app.resolve("app/package-lock.json");
    Files.writeString(lock, Files.readString(lock).replace("""
        "node_modules/ms": {
              "version": "2.1.3",
              "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
              "integrity": "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==",""", """
        "node_modules/ms": {
              "version": "2.1.2",
              "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.2.tgz",
              "integrity": "sha512-sGkPx+VjMtmA6MX27oA4FBFELFCZZ4S4XqeGOXCv68tT+jb3vk/RyaKWP0PTKyWtmLSM0b+adUTEvbs1PEaH2w==","""));
    assertThat(Files.readString(lock)).contains("ms-2.1.2.tgz");
    JsonNode bumped = layers(build(app, cache, tmp.resolve("bumped")));
    List<String> written = new ArrayList<>();
    bumped.forEach(l -> {
      if (!l.get("cached").asBoolean()) {
        written.add(l.get("name").asText());
      }
    });
    assertThat(written).containsExactly("deps");
    List<String> now = tarballs(cache);
    now.removeAll(tarballs);
    assertThat(now).hasSize(1);
  }

  @Test
  void aPackageThatNeedsCompilingStopsTheBuildBeforeAnythingIsWritten(@TempDir Path tmp) throws IOException {
    Path app = app(tmp.resolve("app"), "amd64");
    Path sqlite = TestData.projectRoot().resolve("testdata/npm-sqlite3/package-lock.json");
    Files.copy(sqlite, app.resolve("app/package-lock.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        NpmApp.graftCache().toString(), "--to", "oci:" + out + ":latest");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.error()).contains("sqlite3@5.1.7", "prebuild-install", "from: builder", "scripts: allow");
    assertThat(out).doesNotExist();
  }

  @Test
  void planShowsPackagesPlatformChoicesAndScriptVerdictsPerPlatform(@TempDir Path tmp) throws IOException {
    Path app = app(tmp.resolve("app"), "amd64");
    Files.writeString(app.resolve("graft.yaml"), Files.readString(app.resolve("graft.yaml"))
        .replace("platforms: [linux/amd64]", "platforms: [linux/amd64, linux/arm64]"));
    CliRun text = CliRun.of("plan", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        NpmApp.graftCache().toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("libc auto", "linux/x64 glibc: 83 packages", "linux/arm64 musl:",
        "+ @esbuild/linux-arm64@0.28.2 (os linux, cpu arm64)", "- @img/sharp-linux-x64@0.35.5 (needs cpu [x64])",
        "- @img/sharp-wasm32@0.35.5 (only needed by", "script fine: bcrypt@6.0.0", "script fine: esbuild@0.28.2");
    CliRun json = CliRun.of("plan", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        NpmApp.graftCache().toString(), "--json");
    JsonNode deps = Json.MAPPER.readTree(json.out()).get("platforms").get(1).get("layers").get(1);
    assertThat(deps.get("prune").asText()).isEqualTo("platform");
    JsonNode musl = deps.get("npm").get("targets").get(1);
    assertThat(musl.get("libc").asText()).isEqualTo("musl");
    assertThat(musl.get("platformPackages").toString()).contains("@img/sharp-linuxmusl-arm64");
    assertThat(musl.get("installScripts").toString()).contains("\"verdict\":\"fine\"");
  }

  /** A fresh graft cache whose npm/ (tarballs, unpacked copies) is the one the npm tests share. */
  static Path cacheSharingTarballs(Path cache) throws IOException {
    Files.createDirectories(NpmApp.graftCache().resolve("npm"));
    Files.createDirectories(cache);
    Files.createSymbolicLink(cache.resolve("npm"), NpmApp.graftCache().resolve("npm"));
    return cache;
  }

  private static JsonNode layers(CliRun r) throws IOException {
    return Json.MAPPER.readTree(r.out()).get("platforms").get(0).get("layers");
  }

  private static List<String> tarballs(Path cache) throws IOException {
    try (Stream<Path> s = Files.list(cache.resolve("npm/tarballs"))) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
