package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestTars;
import dev.graft.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed tars of the corpus (made by TestTars, not graft's writer: names with ../ or a
 * leading /, a hardlink out of the root, a giant declared size, a truncated tar or gzip stream)
 * are refused with the same message by every command that reads layers (ls, extract, verify,
 * build with the image as base and as builder); copy moves them byte for byte, as skopeo does,
 * since it unpacks nothing.
 */
class MalformedTarsTest {
  @TempDir Path tmp;

  private static Map<String, byte[]> layers() {
    byte[] full = TestTars.create().file("f", "x".repeat(5000)).bytes();
    byte[] gz = TestTars.create().file("f", "some content ".repeat(4000)).gzip();
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("escape", TestTars.create().file("a/../../x", "evil").bytes());
    m.put("absolute", TestTars.create().file("/etc/x", "evil").bytes());
    m.put("hardlink-out", TestTars.create().hardlink("x", "../../x").bytes());
    m.put("giant", TestTars.create().fileDeclaring("big", Long.MAX_VALUE, "").bytes());
    m.put("truncated-tar", Arrays.copyOf(full, 512 + 2048));
    m.put("truncated-gzip", Arrays.copyOf(gz, gz.length / 2));
    return m;
  }

  /** Each layer in a layout written by hand (OciLayouts; its diff_id is what graft must find). */
  private Map<String, String> images() throws Exception {
    Map<String, String> refs = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : layers().entrySet()) {
      Path layer = Files.write(tmp.resolve(e.getKey() + ".layer"), e.getValue());
      try {
        OciLayouts.write(tmp.resolve(e.getKey()), "t", java.util.List.of(layer));
      } catch (java.io.IOException gunzipFailed) {
        continue; // the hand-written layout needs to gunzip for the diff_id: covered in HostileLayerTest
      }
      refs.put(e.getKey(), "oci:" + tmp.resolve(e.getKey()) + ":t");
    }
    assertThat(refs).hasSizeGreaterThanOrEqualTo(5);
    return refs;
  }

  private static void assertRefused(String what, Cli r) {
    assertThat(r.exitCode()).as(what + ": " + r.err()).isEqualTo(1);
    assertThat(r.error()).as(what).containsAnyOf("escape", "outside the image root", "declares", "truncated",
        "corrupt");
  }

  @Test
  void everyCommandThatReadsLayersRefusesThem() throws Exception {
    for (Map.Entry<String, String> e : images().entrySet()) {
      String ref = e.getValue();
      Path work = tmp.resolve("work-" + e.getKey());
      assertRefused(e.getKey() + " ls", HostileRuns.ls(ref, "/"));
      assertRefused(e.getKey() + " extract", HostileRuns.extract(ref, "/", work.resolve("x")));
      assertThat(HostileRuns.listing(work.resolve("x"))).as(e.getKey()).isEmpty();
      assertRefused(e.getKey() + " verify", HostileRuns.verify(ref));
      assertRefused(e.getKey() + " base", HostileRuns.buildOn(ref, work.resolve("base")));
      assertThat(work.resolve("base/out")).doesNotExist();
      assertRefused(e.getKey() + " builder", HostileRuns.buildFrom(ref, "paths: [/f], closure: off", work.resolve("b")));
      assertThat(work.resolve("b/out")).doesNotExist();
    }
  }

  @Test
  void copyMovesThemByteForByteAsSkopeoDoes() throws Exception {
    for (Map.Entry<String, String> e : images().entrySet()) {
      Cli r = HostileRuns.copy(e.getValue(), tmp.resolve("copy-" + e.getKey()));
      Tools.Result skopeo = Tools.run(Duration.ofMinutes(1), "skopeo", "copy", "-q", e.getValue(),
          "oci:" + tmp.resolve("skopeo-" + e.getKey()) + ":t");
      assertThat(r.exitCode()).as(e.getKey() + ": " + r.err()).isZero();
      assertThat(skopeo.exitCode()).as(e.getKey() + ": " + skopeo.stderr()).isZero();
      HostileRuns.assertCopiedByteForByte(e.getValue(), tmp.resolve("copy-" + e.getKey()));
    }
  }
}
