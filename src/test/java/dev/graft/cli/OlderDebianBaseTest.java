package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.testing.DebianImages;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commonest glibc setup: a node:22-bookworm style builder (bookworm, glibc 2.36, GLIBCXX_3.4.30;
 * the official node 22 at /usr/local; better-sqlite3 compiled there by node-gyp) and an older
 * Debian as base (bullseye: glibc 2.31, GLIBCXX_3.4.28). Every verdict is proven by running the
 * built image under chroot: node, the addon, and the base's own programs (timeout, apt-get).
 */
class OlderDebianBaseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADDON = "/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node";
  private static final String USE_ADDON = "const D = require('/app/node_modules/better-sqlite3');"
      + " console.log(new D(':memory:').prepare('select 6 * 7 as v').get().v)";
  @TempDir static Path images;
  static String bullseye;
  static String builder;
  @TempDir Path tmp;

  @BeforeAll
  static void images() {
    bullseye = DebianImages.layout(images.resolve("bullseye"), List.of(DebianImages.bullseye()));
    Path app = images.resolve("app-stage");
    DebianImages.copy(app, DebianImages.betterSqlite3BuiltOnBookworm(), "/app/node_modules");
    builder = DebianImages.layout(images.resolve("builder"), List.of(DebianImages.bookworm(),
        DebianImages.nodeLayer(images), DebianImages.tar(app, images.resolve("app.tar"))));
  }

  record Built(CliRun run, Path layout, JsonNode findings, List<String> grafted) {
    List<String> codes() {
      List<String> out = new ArrayList<>();
      findings.forEach(f -> out.add(f.get("severity").asText() + " " + f.get("code").asText() + " "
          + f.get("path").asText()));
      return out;
    }

    UnpackedImage unpack(Path dir) {
      return UnpackedImage.of(dir, "oci:" + layout + ":latest", "amd64");
    }
  }

  /** graft build of node (and, with {@code deps}, /app/node_modules), closure: auto, onto bullseye. */
  private static Built build(Path dir, boolean deps, String conflicts, String verify) throws Exception {
    String conflictLine = conflicts == null ? "" : "\n    conflicts: " + conflicts;
    String yaml = """
        base: %s
        builder: %s
        platforms: [linux/amd64]
        layers:
          - name: node
            from: builder
            paths: [/usr/local/bin/node]
            closure: auto%s
        """.formatted(bullseye, builder, conflictLine)
        + (deps ? """
          - name: deps
            from: builder
            paths: [/app/node_modules]
            closure: auto%s
        """.formatted(conflictLine) : "")
        + """
        config:
          env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
          entrypoint: [node]
        """;
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("graft.yaml"), yaml);
    Path layout = dir.resolve("out");
    CliRun run = CliRun.of("build", "-f", dir.resolve("graft.yaml").toString(), "--cache-dir",
        dir.resolve("cache").toString(), "--to", "oci:" + layout + ":latest", "--json", "--verify=" + verify);
    if (run.exitCode() != 0) {
      return new Built(run, layout, null, List.of());
    }
    JsonNode platform = JSON.readTree(run.out()).get("platforms").get(0);
    List<String> grafted = new ArrayList<>();
    for (JsonNode layer : platform.get("layers")) {
      grafted.addAll(layerFiles(layout, layer.get("digest").asText()));
    }
    return new Built(run, layout, platform.get("findings"), grafted);
  }

  private static List<String> layerFiles(Path layout, String digest) {
    Path blob = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    Tools.Result r = Tools.runOk(java.time.Duration.ofMinutes(2), "tar", "-tzf", blob.toString());
    return r.stdout().lines().filter(l -> !l.endsWith("/")).map(l -> "/" + l).toList();
  }

  /** The base's own programs that load glibc's librt/libpthread (timeout) and libstdc++ (apt-get). */
  private static void assertBaseProgramsRun(UnpackedImage image) {
    Tools.Result timeout = image.run(Map.of(), "/usr/bin/timeout", "5", "/bin/true");
    assertThat(timeout.exitCode()).as(timeout.stderr()).isZero();
    Tools.Result apt = image.run(Map.of(), "/usr/bin/apt-get", "--version");
    assertThat(apt.exitCode()).as(apt.stderr()).isZero();
    assertThat(apt.stdout()).startsWith("apt 2.2.");
  }

  /**
   * Official node 22 needs at most GLIBC_2.28 and GLIBCXX_3.4.21: bullseye's libraries serve it,
   * so closure: auto keeps every one of them and grafts node alone. The bookworm libraries that
   * would need a newer libc (libgcc_s, libm, libstdc++) are dropped for the base's copies, so they
   * must not force a swap of libc.
   */
  @Test
  void node22FromABookwormBuilderRunsOnBullseyeWithClosureAuto() throws Exception {
    Built b = build(tmp, false, null, "strict");
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).containsExactly("/usr/local/bin/node");
    assertThat(b.codes()).allMatch(c -> c.startsWith("info CLOSURE_KEEPS_BASE "), "only libraries kept from the base");
    UnpackedImage image = b.unpack(tmp.resolve("run"));
    Tools.Result node = image.run(Map.of(), "node", "-e", "console.log(process.version)");
    assertThat(node.stdout()).as(node.stderr()).isEqualTo("v22.23.3\n");
    assertBaseProgramsRun(image);
  }

  /**
   * The addon, not node, is what bullseye cannot serve: it needs GLIBC_2.33 (and 2.34) and
   * GLIBCXX_3.4.29. The refusal names it and those versions, and none of node-gyp's leftovers
   * (build/Release/obj.target/*.node, the test_extension SQLite extension), which Node never loads.
   * Proven by keeping the base's libraries (conflicts: base): node runs, the addon fails to load
   * with exactly that, and verification judges the addon alone.
   */
  @Test
  void aBookwormBuiltBetterSqlite3OnBullseyeIsRefusedNamingTheAddon() throws Exception {
    Built refused = build(tmp.resolve("default"), true, null, "strict");
    assertThat(refused.run().exitCode()).as(refused.run().out()).isEqualTo(1);
    assertThat(refused.run().err()).contains(ADDON, "GLIBC_2.33", "GLIBCXX_3.4.29")
        .doesNotContain("obj.target", "test_extension");
    assertThat(tmp.resolve("default/out")).as("nothing written").doesNotExist();

    Built kept = build(tmp.resolve("base"), true, "base", "warn");
    assertThat(kept.run().exitCode()).as(kept.run().err()).isZero();
    assertThat(kept.codes()).filteredOn(c -> !c.startsWith("info ")).containsExactly("error SYMBOL_VERSION " + ADDON);
    assertThat(kept.findings().toString()).doesNotContain("obj.target", "test_extension.node");
    UnpackedImage image = kept.unpack(tmp.resolve("run"));
    Tools.Result node = image.run(Map.of(), "node", "-e", "console.log(process.version)");
    assertThat(node.stdout()).as(node.stderr()).isEqualTo("v22.23.3\n");
    Tools.Result addon = image.run(Map.of(), "node", "-e", USE_ADDON);
    assertThat(addon.exitCode()).isNotZero();
    assertThat(addon.stderr()).containsPattern("version `(GLIBC_2\\.3[34]|GLIBCXX_3\\.4\\.29)' not found")
        .contains(ADDON);
    assertBaseProgramsRun(image);
  }

  /**
   * conflicts: builder grafts bookworm's libraries over bullseye's. glibc is one unit (its
   * libraries call each other through GLIBC_PRIVATE): half replaced (libc and libpthread new, librt
   * old), timeout and apt-get die. So the rest of glibc the base has (librt, libutil, libnss_*, …)
   * comes from the builder too, every ELF file of the base binds against it, and everything runs.
   */
  @Test
  void conflictsBuilderReplacesGlibcAsAWhole() throws Exception {
    Built b = build(tmp, true, "builder", "strict");
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).as("librt, which no grafted file loads, is glibc's too")
        .anyMatch(p -> p.endsWith("/x86_64-linux-gnu/librt.so.1"));
    assertThat(b.findings().toString()).contains("glibc is replaced as one release");
    UnpackedImage image = b.unpack(tmp.resolve("run"));
    Tools.Result addon = image.run(Map.of(), "node", "-e", USE_ADDON);
    assertThat(addon.stdout()).as(addon.stderr()).isEqualTo("42\n");
    assertBaseProgramsRun(image);
  }
}
