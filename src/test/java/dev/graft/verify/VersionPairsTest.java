package dev.graft.verify;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.Tools;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages that pair a JS package with a per-platform binary package (esbuild, rollup, swc) are
 * released in lockstep: the JS package pins its binary package's exact version. Each pair is
 * judged on a real Debian bookworm image with the real packages, and the verdict proven by
 * running node under chroot: a mismatched pair is refused ({@code NPM_PLATFORM_VERSION_MISMATCH}),
 * a matching one passes and runs.
 */
class VersionPairsTest {
  private static final String APP = "/app/node_modules";
  @TempDir static Path shared;
  static BrokenImage.Bases bases;
  @TempDir Path tmp;

  @BeforeAll
  static void bases() {
    bases = new BrokenImage.Bases(shared);
  }

  private static BrokenImage node(Path dir, String node) {
    return BrokenImage.debian(bases, dir).copy(file(node, "bin/node"), "/usr/local/bin/node");
  }

  private static void assertRuns(Tools.Result run, String stdout) {
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).isEqualTo(stdout);
  }

  private static final String ESBUILD_TRANSFORM =
      "console.log(require('" + APP + "/esbuild').transformSync('let x = 1').code.trim())";

  /** Seed 003's own failure: the image throws on the first transform. */
  @Test
  void refusesEsbuildWhoseBinaryPackageIsAnotherVersion() {
    BrokenImage.Built img = node(tmp, NODE_X64).placePackage(ESBUILD_0_28_1).placePackage(ESBUILD_X64)
        .entrypoint("node", "-e", ESBUILD_TRANSFORM).build();
    BrokenImage.Verdict v = img.verify();
    assertThat(v.exitCode()).as(v.err() + v.findings()).isEqualTo(1);
    assertThat(v.codes()).containsExactly("error NPM_PLATFORM_VERSION_MISMATCH " + APP + "/esbuild");
    assertThat(v.message("NPM_PLATFORM_VERSION_MISMATCH")).contains("esbuild@0.28.1", "@esbuild/linux-x64@0.28.2",
        "Host version");
    Tools.Result run = img.run();
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("Host version \"0.28.1\" does not match binary version \"0.28.2\"");
  }

  @Test
  void passesEsbuildWithItsOwnBinaryVersion() {
    BrokenImage.Built img = node(tmp, NODE_X64).placePackage(ESBUILD).placePackage(ESBUILD_X64)
        .entrypoint("node", "-e", ESBUILD_TRANSFORM).build();
    BrokenImage.Verdict v = img.verify();
    assertThat(v.exitCode()).as(v.err() + v.findings()).isZero();
    assertThat(v.codes()).isEmpty();
    assertRuns(img.run(), "let x = 1;\n");
  }

  private static final String ROLLUP_BUNDLE = "require('" + APP + "/rollup').rollup({input: '/app/in.js'})"
      + ".then(b => b.generate({format: 'es'})).then(o => console.log(o.output[0].code.trim()))";

  private static BrokenImage rollup(Path dir, String nativePart) {
    return node(dir, NODE_X64).placePackage(ROLLUP).placePackage(nativePart)
        .write("/app/in.js", "export const a = 1;\n", false);
  }

  @Test
  void refusesRollupWhoseNativePartIsAnotherVersion() {
    BrokenImage.Built img = rollup(tmp, ROLLUP_X64_GNU_4_0).entrypoint("node", "-e", ROLLUP_BUNDLE).build();
    BrokenImage.Verdict v = img.verify();
    assertThat(v.exitCode()).as(v.err() + v.findings()).isEqualTo(1);
    assertThat(v.codes()).containsExactly("error NPM_PLATFORM_VERSION_MISMATCH " + APP + "/rollup");
    assertThat(v.message("NPM_PLATFORM_VERSION_MISMATCH")).contains("rollup@4.68.2",
        "@rollup/rollup-linux-x64-gnu@4.0.0");
    Tools.Result run = img.run();
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("parseAsync is not a function");
  }

  @Test
  void passesRollupWithItsOwnNativeVersion() {
    BrokenImage.Built img = rollup(tmp, ROLLUP_X64_GNU).entrypoint("node", "-e", ROLLUP_BUNDLE).build();
    BrokenImage.Verdict v = img.verify();
    assertThat(v.exitCode()).as(v.err() + v.findings()).isZero();
    assertThat(v.codes()).isEmpty();
    assertRuns(img.run(), "const a = 1;\n\nexport { a };\n");
  }

  private static final String SWC_TRANSFORM = "console.log(require('" + APP + "/@swc/core').transformSync("
      + "'let x: number = 1', {jsc: {parser: {syntax: 'typescript'}}}).code.trim())";

  private static BrokenImage swc(Path dir, String nativePart) {
    return node(dir, NODE_X64).placePackage(SWC_CORE).placePackage(SWC_COUNTER).placePackage(SWC_TYPES)
        .placePackage(nativePart);
  }

  /**
   * @swc/core pins its native part exactly (npm ls calls another version "invalid"); this pair is
   * refused on that ground. Run, the 1.3.100 binding still transforms this one-liner: swc has no
   * version handshake, so what breaks is whatever changed between the two releases.
   */
  @Test
  void refusesSwcWhoseNativePartIsAnotherVersionAndPassesItsOwn() {
    BrokenImage.Built old = swc(tmp.resolve("old"), SWC_X64_GNU_1_3).entrypoint("node", "-e", SWC_TRANSFORM).build();
    BrokenImage.Verdict v = old.verify();
    assertThat(v.exitCode()).as(v.err() + v.findings()).isEqualTo(1);
    assertThat(v.codes()).containsExactly("error NPM_PLATFORM_VERSION_MISMATCH " + APP + "/@swc/core");
    assertThat(v.message("NPM_PLATFORM_VERSION_MISMATCH")).contains("@swc/core@1.16.22",
        "@swc/core-linux-x64-gnu@1.3.100");

    BrokenImage.Built same = swc(tmp.resolve("same"), SWC_X64_GNU).entrypoint("node", "-e", SWC_TRANSFORM).build();
    BrokenImage.Verdict ok = same.verify();
    assertThat(ok.exitCode()).as(ok.err() + ok.findings()).isZero();
    assertThat(ok.codes()).isEmpty();
    // swc 1.16's binding finds its cache from the mount table: /proc, as a container has it
    assertRuns(same.runWithProc(), "var x = 1;\n");
  }

  /**
   * better-sqlite3 13 as npm installs it: its own loader (lib/binding.js, not node-gyp-build) takes
   * prebuilds/linux-x64.node, a flat file; on bookworm with node 22 it runs, so verify has nothing to say.
   */
  @Test
  void passesBetterSqlite3WithItsOwnPrebuildOnBookworm() {
    BrokenImage.Built img = node(tmp, NODE22_X64).placePackage(BETTER_SQLITE3).placePackage(NODE_ADDON_API)
        .entrypoint("node", "-e", "const D = require('" + APP + "/better-sqlite3');"
            + " console.log(new D(':memory:').prepare('select 6 * 7 as v').get().v)").build();
    BrokenImage.Verdict v = img.verify();
    assertThat(v.exitCode()).as(v.err() + v.findings()).isZero();
    assertThat(v.codes()).isEmpty();
    assertRuns(img.run(), "42\n");
  }
}
