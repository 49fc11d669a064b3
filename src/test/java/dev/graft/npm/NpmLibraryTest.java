package dev.graft.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.testing.NpmApp;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm library's rules and refusals, each on real input (lockfiles by npm, tarballs by Python's tarfile). */
class NpmLibraryTest {
  @TempDir
  Path tmp;

  @Test
  void refusesALockfileVersion1WithTheCommandThatUpgradesIt() throws IOException {
    Path lock = Files.writeString(tmp.resolve("package-lock.json"),
        "{\"name\":\"old\",\"lockfileVersion\":1,\"requires\":true,\"dependencies\":{}}");
    assertThatThrownBy(() -> Lockfile.read(lock)).isInstanceOf(NpmException.class)
        .hasMessageContaining(lock.toString()).hasMessageContaining("lockfileVersion 1")
        .hasMessageContaining("npm install --package-lock-only");
  }

  @Test
  void refusesAMissingLockfileNamingItAndTheFix() {
    Path lock = tmp.resolve("backend/package-lock.json");
    assertThatThrownBy(() -> Lockfile.read(lock)).hasMessageContaining(lock.toString())
        .hasMessageContaining("npm install --package-lock-only");
  }

  @Test
  void readsTheFixtureLockfileWithFlagsPlatformFieldsAndBins() throws IOException {
    Lockfile lock = Lockfile.read(NpmApp.lockfile());
    assertThat(lock.lockfileVersion()).isEqualTo(3);
    LockedPackage sharp = lock.packages().get("node_modules/@img/sharp-linuxmusl-arm64");
    assertThat(sharp.flags().optional()).isTrue();
    assertThat(sharp.libc()).containsExactly("musl");
    assertThat(sharp.mismatch(new NpmTarget("linux", "arm64", Libc.GLIBC))).contains("libc [musl]");
    assertThat(sharp.runsOn(new NpmTarget("linux", "arm64", Libc.MUSL))).isTrue();
    assertThat(lock.packages().get("node_modules/@types/express").flags().dev()).isTrue();
    assertThat(lock.packages().get("node_modules/esbuild").bin()).containsEntry("esbuild", "bin/esbuild");
    assertThat(lock.packages().get("node_modules/express").integrity().orElseThrow().algorithm()).isEqualTo("sha512");
  }

  @Test
  void anOptionalPackageForAnotherPlatformTakesWhatOnlyItNeedsAlong() throws IOException {
    Lockfile lock = Lockfile.read(NpmApp.lockfile());
    Selection s = PackageSelector.select(lock, new NpmTarget("linux", "x64", Libc.GLIBC), Set.of(Omit.DEV));
    Map<String, Selection.LeftOut> out = new HashMap<>();
    s.leftOut().forEach(l -> out.put(l.pkg().path(), l));
    assertThat(out.get("node_modules/@types/express").reason()).isEqualTo(Selection.Reason.OMITTED);
    assertThat(out.get("node_modules/@esbuild/linux-arm64").detail()).isEqualTo("cpu [arm64]");
    assertThat(out.get("node_modules/@img/sharp-linuxmusl-x64").detail()).isEqualTo("libc [musl]");
    // sharp-wasm32 (and @emnapi/runtime, tslib under it) is needed only by two packages for other platforms
    assertThat(out.get("node_modules/@img/sharp-wasm32").reason()).isEqualTo(Selection.Reason.ONLY_FOR_LEFT_OUT);
    assertThat(out.get("node_modules/tslib").reason()).isEqualTo(Selection.Reason.ONLY_FOR_LEFT_OUT);
    assertThat(s.platformPackages()).extracting(LockedPackage::name).containsExactlyInAnyOrder("@esbuild/linux-x64",
        "@img/sharp-libvips-linux-x64", "@img/sharp-linux-x64", "@rollup/rollup-linux-x64-gnu");
  }

  @Test
  void aPackageThatIsNotOptionalAndDoesNotRunOnTheTargetIsAnError() throws IOException {
    Path lock = Files.writeString(tmp.resolve("package-lock.json"), """
        {"name":"x","lockfileVersion":3,"requires":true,"packages":{
          "":{"name":"x","dependencies":{"fsevents":"2.3.3"}},
          "node_modules/fsevents":{"version":"2.3.3","resolved":"https://registry.npmjs.org/fsevents/-/fsevents-2.3.3.tgz",
            "integrity":"sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw==",
            "os":["darwin"]}}}""");
    assertThatThrownBy(() -> PackageSelector.select(Lockfile.read(lock), new NpmTarget("linux", "x64", Libc.GLIBC),
        Set.of(Omit.DEV))).isInstanceOf(NpmException.class).hasMessageContaining("fsevents@2.3.3")
        .hasMessageContaining("os [darwin]").hasMessageContaining("EBADPLATFORM");
  }

  @Test
  void integrityPicksTheStrongestHashAndRefusesOtherBytes() throws IOException {
    byte[] data = "tarball".getBytes(StandardCharsets.UTF_8);
    Integrity sha1 = Integrity.parse("sha1-" + b64("SHA-1", data), "x");
    Integrity both = Integrity.parse(sha1 + " sha512-" + b64("SHA-512", data), "x");
    assertThat(both.algorithm()).isEqualTo("sha512");
    TarballCache cache = new TarballCache(tmp);
    assertThat(cache.store(sha1, new ByteArrayInputStream(data), "x@1")).isEqualTo(data.length);
    assertThat(cache.has(sha1)).isTrue();
    Integrity other = Integrity.parse("sha512-" + b64("SHA-512", "other".getBytes()), "y");
    assertThatThrownBy(() -> cache.store(other, new ByteArrayInputStream(data), "y@1"))
        .hasMessageContaining("y@1").hasMessageContaining("lockfile says");
    assertThat(cache.has(other)).isFalse();
    assertThatThrownBy(() -> Integrity.parse("md5-abc", "packages['node_modules/z']"))
        .hasMessageContaining("node_modules/z");
  }

  @Test
  void npmrcPicksScopedRegistriesAndCredentialsByRegistryPath() throws IOException {
    Path project = Files.createDirectories(tmp.resolve("project"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(home.resolve(".npmrc"), "registry=https://user.example/npm/\n"
        + "//npm.acme.example/:_authToken=user-token\n");
    Files.writeString(project.resolve(".npmrc"), "@acme:registry=https://npm.acme.example/private/\n"
        + "//npm.acme.example/private/:_authToken=${ACME_TOKEN}\n"
        + "//basic.example/:username=bob\n//basic.example/:_password=" + b64raw("pw") + "\n");
    Npmrc rc = Npmrc.load(project, home, Map.of("ACME_TOKEN", "t0k3n", "npm_config_registry", "https://env.example/"));
    assertThat(rc.registryFor("express")).isEqualTo(URI.create("https://env.example/"));
    assertThat(rc.registryFor("@acme/lib")).isEqualTo(URI.create("https://npm.acme.example/private/"));
    assertThat(rc.authorization(URI.create("https://npm.acme.example/private/@acme/lib/-/lib-1.0.0.tgz")))
        .contains("Bearer t0k3n");
    assertThat(rc.authorization(URI.create("https://npm.acme.example/other/x.tgz"))).contains("Bearer user-token");
    assertThat(rc.authorization(URI.create("https://basic.example/a.tgz"))).contains("Basic " + b64raw("bob:pw"));
    assertThat(rc.authorization(URI.create("https://cdn.example/a.tgz"))).isEmpty();
    assertThat(rc.toString()).doesNotContain("t0k3n").doesNotContain("user-token");
    LockedPackage express = Lockfile.read(NpmApp.lockfile()).packages().get("node_modules/express");
    assertThat(rc.tarballUri(express).toString()).isEqualTo("https://env.example/express/-/express-5.3.0.tgz");
  }

  @Test
  void unpacksAsPacoteDoesAndLinksBinsAsBinLinksDoes() throws IOException {
    Map<String, String> made = tarballs();
    Integrity integrity = Integrity.parse(made.get("quirks"), "quirks");
    UnpackedTarball t = UnpackedTarball.open(tmp.resolve("cache"), integrity, tmp.resolve("quirks.tgz"), "quirks@1.0.0");
    assertThat(t.files()).extracting(PackageFile::path).containsExactlyInAnyOrder("package.json", "bin/cli.js",
        ".npmignore", "lib/.npmignore", "twice.txt", "private.txt", "tool.sh");
    assertThat(new String(t.read("twice.txt"), StandardCharsets.UTF_8)).isEqualTo("second copy\n");
    assertThat(new String(t.read("lib/.npmignore"), StandardCharsets.UTF_8)).isEqualTo("first\n");

    Path lock = Files.writeString(tmp.resolve("package-lock.json"), """
        {"name":"app","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{
          "":{"name":"app","version":"1.0.0","dependencies":{"quirks":"1.0.0"}},
          "node_modules/quirks":{"version":"1.0.0","integrity":"%s","bin":{"quirks":"bin/cli.js","gone":"missing.js"}}}}
        """.formatted(integrity));
    Lockfile lf = Lockfile.read(lock);
    Selection s = PackageSelector.select(lf, new NpmTarget("linux", "x64", Libc.GLIBC), Set.of(Omit.DEV));
    LaidOut laid = NodeModulesLayout.layout("/srv", lf, s, Map.of("node_modules/quirks", t), Optional.empty());
    Map<String, LayerEntry> byPath = new HashMap<>();
    laid.entries().forEach(e -> byPath.put(e.path(), e));
    assertThat(byPath.get("/srv/node_modules/.bin/quirks").metadata().linkTarget()).isEqualTo("../quirks/bin/cli.js");
    assertThat(byPath).doesNotContainKey("/srv/node_modules/.bin/gone"); // bin-links skips a missing target
    LayerEntry cli = byPath.get("/srv/node_modules/quirks/bin/cli.js");
    assertThat(cli.metadata().mode()).isEqualTo(0755);
    assertThat(new String(cli.content().open().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("#!/usr/bin/env node\nconsole.log('hi')\r\n");
    assertThat(byPath.get("/srv/node_modules/quirks/private.txt").metadata().mode()).isEqualTo(0644);
    assertThat(byPath.get("/srv/node_modules/quirks/tool.sh").metadata().mode()).isEqualTo(0744);
    assertThat(byPath).doesNotContainKeys("/srv/node_modules/quirks/link", "/srv/node_modules/quirks/hard",
        "/srv/node_modules/quirks/empty");
    assertThat(byPath.get("/srv/node_modules/quirks").metadata().type()).isEqualTo(EntryType.DIR);
    assertThat(laid.packages()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("/srv/node_modules/quirks"));
  }

  @Test
  void refusesTarballsWhoseEntriesEscapeThePackageNamingIt() throws IOException {
    Map<String, String> made = tarballs();
    for (String name : List.of("escape", "absolute")) {
      Integrity integrity = Integrity.parse(made.get(name), name);
      assertThatThrownBy(() -> UnpackedTarball.open(tmp.resolve("cache"), integrity, tmp.resolve(name + ".tgz"),
          name + "@1.0.0")).isInstanceOf(NpmException.class).hasMessageContaining(name + "@1.0.0")
          .hasMessageContaining("damaged or hostile");
    }
    try (var s = Files.list(tmp.resolve("cache/npm/unpacked"))) {
      assertThat(s.toList()).isEmpty(); // nothing half-unpacked is left
    }
  }

  @Test
  void refusesALockfileWithAPackageThatNeedsCompilingNamingItAndTheWaysOut() throws IOException {
    Path dir = TestData.projectRoot().resolve("testdata/npm-sqlite3");
    Lockfile lock = Lockfile.read(dir.resolve("package-lock.json"));
    assertThatThrownBy(() -> NpmInstall.run(lock, new NpmTarget("linux", "arm64", Libc.MUSL), "/app",
        new NpmInstall.Options(Set.of(Omit.DEV), false, true, true), NpmApp.graftCache(),
        NpmApp.fetcher(NpmApp.graftCache(), FetchListener.NONE)))
        .isInstanceOf(NpmException.class).hasMessageContaining("sqlite3@5.1.7")
        .hasMessageContaining("prebuild-install").hasMessageContaining("from: builder")
        .hasMessageContaining("scripts: allow");
    NpmInstall.Result allowed = NpmInstall.run(lock, new NpmTarget("linux", "arm64", Libc.MUSL), "/app",
        new NpmInstall.Options(Set.of(Omit.DEV), true, true, true), NpmApp.graftCache(),
        NpmApp.fetcher(NpmApp.graftCache(), FetchListener.NONE));
    assertThat(allowed.verdicts()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(ScriptVerdict.Kind.WARNING);
      assertThat(v.message()).contains("accepted with scripts: allow");
    });
  }

  @Test
  void judgesTheFixturesInstallScripts() throws IOException {
    NpmInstall.Result r = NpmCiEquivalenceTest.install("arm64", "musl", true);
    Map<String, ScriptVerdict> byName = new HashMap<>();
    r.verdicts().forEach(v -> byName.put(v.pkg().name(), v));
    assertThat(byName.get("bcrypt").kind()).isEqualTo(ScriptVerdict.Kind.FINE);
    assertThat(byName.get("bcrypt").message()).contains("prebuild");
    assertThat(byName.get("esbuild").kind()).isEqualTo(ScriptVerdict.Kind.FINE);
    assertThat(byName.get("esbuild").message()).contains("install.js");
    assertThat(byName).doesNotContainKey("better-sqlite3"); // gypfile: false, prebuilds/ in the package
  }

  private Map<String, String> tarballs() {
    Path script = TestData.projectRoot().resolve("testdata/npm-tarballs/make-tarballs.py");
    List<String> cmd = List.of("python3", script.toString(), tmp.toString());
    Tools.Result r = Tools.run(Duration.ofMinutes(1), null, cmd).assertSuccess(cmd);
    Map<String, String> out = new HashMap<>();
    r.stdout().lines().forEach(l -> out.put(l.split("\t")[0], l.split("\t")[1]));
    return out;
  }

  private static String b64(String alg, byte[] data) {
    try {
      return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance(alg).digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64raw(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
