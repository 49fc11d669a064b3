package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild skips what it already knows (issue 6), and never at the price of a different image or a
 * stale verdict: the builder's selection is reused by image digests, the verification report by
 * what verification looked at, and damaged cache entries are ignored. Judged by the progress
 * lines (which steps ran) and by digests against a build with a fresh cache.
 */
class RebuildCacheTest {
  @BeforeAll
  static void images() {
    ExampleApp.images();
  }

  static CliRun build(Path app, Path cache, Path to, String... more) {
    List<String> args = new ArrayList<>(List.of("build", "-f", app.resolve("graft.yaml").toString(),
        "--cache-dir", cache.toString(), "--platform", "linux/amd64", "--to", "oci:" + to + ":latest"));
    args.addAll(List.of(more));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  static String digest(Path layout) throws IOException {
    JsonNode index = Json.MAPPER.readTree(Files.readAllBytes(layout.resolve("index.json")));
    return index.get("manifests").get(0).get("digest").asText();
  }

  @Test
  void aRebuildOfChangedAppFilesReadsNoBuilderAndReusesTheVerificationYetGivesTheSameImage(@TempDir Path tmp)
      throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Path cache = tmp.resolve("cache");
    CliRun first = build(app, cache, tmp.resolve("first"));
    assertThat(first.err()).contains("read builder", ": verify").doesNotContain("reusing the report");
    assertThat(first.err()).as("every layer is written").doesNotContain("(cached)");

    Path page = app.resolve("frontend/dist/index.html");
    Files.writeString(page, Files.readString(page).replace("graft example", "graft example v2"));
    CliRun again = build(app, cache, tmp.resolve("again"));
    assertThat(again.err()).doesNotContain("read builder", "select files of layer 'node-runtime'")
        .contains("verify: reusing the report of an earlier build").contains("verified: 0 errors, 0 warnings");
    assertThat(again.err()).containsPattern("layer node-runtime sha256:\\w+ [0-9.]+ \\w+ \\(cached\\)")
        .containsPattern("layer frontend sha256:\\w+ [0-9.]+ \\w+\n");

    // The same inputs with an empty cache: every step runs, and the image is the same byte for byte.
    CliRun fresh = build(app, tmp.resolve("fresh-cache"), tmp.resolve("fresh"));
    assertThat(fresh.err()).contains("read builder").doesNotContain("reusing the report");
    assertThat(digest(tmp.resolve("again"))).isEqualTo(digest(tmp.resolve("fresh")))
        .isNotEqualTo(digest(tmp.resolve("first")));
  }

  @Test
  void aChangedPackageManifestIsVerifiedAgainReadingTheCachedBuilderFilesForReal(@TempDir Path tmp)
      throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Path pkg = app.resolve("extra/node_modules/cpu-bound/package.json");
    Files.createDirectories(pkg.getParent());
    Files.writeString(pkg, "{\"name\":\"cpu-bound\",\"version\":\"1.0.0\"}\n");
    Files.writeString(app.resolve("graft.yaml"), Files.readString(app.resolve("graft.yaml")).replace(
        "  - { name: frontend,", "  - { name: extra, from: ./extra, to: /app/extra }\n  - { name: frontend,"));
    Path cache = tmp.resolve("cache");
    CliRun first = build(app, cache, tmp.resolve("first"));
    assertThat(first.err()).contains("verified: 0 errors, 0 warnings");

    // Same size, other content: only reading it tells. The verifier must look again, and the node
    // binary and libraries it then reads come from the builder (the selection itself is cached).
    Files.writeString(pkg, "{\"name\":\"cpu-bound\",\"cpu\":[\"arm\"]}\n");
    CliRun again = build(app, cache, tmp.resolve("again"), "--verify", "warn");
    assertThat(again.err()).doesNotContain("reusing the report")
        .contains("verified: 0 errors, 1 warning").contains("NPM_PLATFORM_MISMATCH", "cpu-bound");
    // The node-runtime layer came from the caches; its files were selected again (from the
    // builder) only when verification asked for their bytes.
    String err = again.err();
    assertThat(err.indexOf("select files of layer 'node-runtime'")).isGreaterThan(err.indexOf("linux/amd64: verify"))
        .isGreaterThan(err.indexOf("layer node-runtime sha256:"));
  }

  @Test
  void damagedCacheEntriesAreIgnoredAndRewritten(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Path cache = tmp.resolve("cache");
    build(app, cache, tmp.resolve("first"));
    for (String dir : List.of("select", "verify", "hashes", "last-base")) {
      try (Stream<Path> files = Files.list(cache.resolve(dir))) {
        for (Path f : files.toList()) {
          byte[] b = Files.readAllBytes(f);
          Files.write(f, java.util.Arrays.copyOf(b, b.length / 2)); // torn
        }
      } catch (java.nio.file.NoSuchFileException e) {
        assertThat(dir).as("only file hashes may be absent (files younger than 2 s are not remembered)")
            .isEqualTo("hashes");
      }
    }
    CliRun again = build(app, cache, tmp.resolve("again"));
    assertThat(again.err()).contains("read builder", ": verify").doesNotContain("reusing the report");
    assertThat(digest(tmp.resolve("again"))).isEqualTo(digest(tmp.resolve("first")));
    CliRun third = build(app, cache, tmp.resolve("third"));
    assertThat(third.err()).doesNotContain("read builder").contains("reusing the report");
  }

  /**
   * A rebuild places its local directories onto the base tree of the last build before the base is
   * resolved (LastBase). When the base tag has moved to a tree on which the files land elsewhere
   * (/app becomes a link to /srv/app), that guess must be dropped: the rebuild gives the image a
   * fresh build gives.
   */
  @Test
  void aRebuildAfterTheBaseTagMovedPlacesItsFilesOntoTheNewBase(@TempDir Path tmp) throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app/web"));
    Files.writeString(app.resolve("index.html"), "<h1>hello</h1>\n");
    Path base = tmp.resolve("base");
    writeBase(base, tmp.resolve("rootfs-a"), false);
    Files.writeString(tmp.resolve("app/graft.yaml"), "base: oci:" + base + ":latest\n"
        + "platforms: [linux/amd64]\nlayers:\n  - { name: web, from: ./web, to: /app/web }\n");
    Path cache = tmp.resolve("cache");
    build(tmp.resolve("app"), cache, tmp.resolve("first"), "--verify", "off");
    try (Stream<Path> remembered = Files.list(cache.resolve("last-base"))) {
      assertThat(remembered.count()).as("the base tree this build used is remembered").isEqualTo(1);
    }
    build(tmp.resolve("app"), cache, tmp.resolve("same"), "--verify", "off");
    assertThat(digest(tmp.resolve("same"))).isEqualTo(digest(tmp.resolve("first")));

    deleteTree(base); // the tag moves
    writeBase(base, tmp.resolve("rootfs-b"), true);
    build(tmp.resolve("app"), cache, tmp.resolve("again"), "--verify", "off");
    build(tmp.resolve("app"), tmp.resolve("fresh-cache"), tmp.resolve("fresh"), "--verify", "off");
    assertThat(digest(tmp.resolve("again"))).isEqualTo(digest(tmp.resolve("fresh")))
        .isNotEqualTo(digest(tmp.resolve("first")));
    CliRun ls = CliRun.of("ls", "oci:" + tmp.resolve("again") + ":latest", "/srv/app/web", "--platform", "linux/amd64");
    assertThat(ls.out()).as(ls.err()).contains("index.html");
  }

  /** A one-layer base made with GNU tar: /app a directory, or (linked) a link to /srv/app. */
  private static void writeBase(Path layout, Path rootfs, boolean linked) throws Exception {
    Files.createDirectories(rootfs.resolve("srv/app"));
    if (linked) {
      Files.createSymbolicLink(rootfs.resolve("app"), Path.of("srv/app"));
    } else {
      Files.createDirectories(rootfs.resolve("app"));
    }
    Path tar = rootfs.resolveSibling(rootfs.getFileName() + ".tar");
    Process p = new ProcessBuilder("tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
        "--mtime=@0", "-C", rootfs.toString(), "-cf", tar.toString(), ".").inheritIO().start();
    assertThat(p.waitFor()).isZero();
    dev.graft.testing.OciLayouts.write(layout, "latest", List.of(tar));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
