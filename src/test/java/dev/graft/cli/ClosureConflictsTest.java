package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.MuslSymbol;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code closure: auto} against what the base already has, on the real Alpine minirootfs: Alpine's
 * {@code apk} (musl, libapk, libcrypto, libssl, libz) from one Alpine release grafted onto another.
 * Every built image is run under chroot: the grafted program and the base's own busybox.
 */
class ClosureConflictsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Built(CliRun run, Path layout, List<String> grafted, JsonNode findings) {}

  private static Built build(Path tmp, String builderVersion, String baseVersion, String conflicts) throws Exception {
    AlpineImages.Fixture base = AlpineImages.singlePlatformLayout(tmp.resolve("base-" + baseVersion), baseVersion,
        Platform.LINUX_AMD64);
    return buildOn(tmp, builderVersion, base.ref(), conflicts);
  }

  private static Built buildOn(Path tmp, String builderVersion, String baseRef, String conflicts) throws Exception {
    AlpineImages.Fixture builder = AlpineImages.singlePlatformLayout(tmp.resolve("builder-" + builderVersion),
        builderVersion, Platform.LINUX_AMD64);
    Path dir = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(dir.resolve("graft.yaml"), """
        base: %s
        builder: %s
        platforms: [linux/amd64]
        layers:
          - name: apk
            from: builder
            paths: [/sbin/apk]
            closure: auto
        %s
        config:
          entrypoint: [/sbin/apk, --version]
        """.formatted(baseRef, builder.ref(), conflicts == null ? "" : "    conflicts: " + conflicts));
    Path layout = tmp.resolve("out");
    CliRun run = CliRun.of("build", "-f", dir.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--to", "oci:" + layout + ":latest", "--json", "--verify=warn");
    if (run.exitCode() != 0) {
      return new Built(run, layout, List.of(), null);
    }
    JsonNode result = JSON.readTree(run.out());
    JsonNode platform = result.get("platforms").get(0);
    String layerDigest = platform.get("layers").get(0).get("digest").asText();
    return new Built(run, layout, entries(layout, layerDigest), platform.get("findings"));
  }

  private static List<String> entries(Path layout, String digest) throws Exception {
    Path blob = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    List<String> out = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (!e.isDirectory()) {
          out.add("/" + e.getName());
        }
      }
    }
    return out;
  }

  private static List<String> codes(JsonNode findings) {
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.get("severity").asText() + " " + f.get("code").asText() + " " + f.get("path").asText()));
    return out;
  }

  private static String message(JsonNode findings, String code, String path) {
    for (JsonNode f : findings) {
      if (f.get("code").asText().equals(code) && f.get("path").asText().equals(path)) {
        return f.get("message").asText();
      }
    }
    throw new AssertionError("no " + code + " for " + path + " in " + findings);
  }

  /** Runs the entrypoint (the grafted apk) and the base's own busybox in the built image under chroot. */
  private static String runs(Path tmp, Built b) {
    UnpackedImage image = UnpackedImage.of(tmp.resolve("run"), "oci:" + b.layout() + ":latest", "amd64");
    Tools.Result apk = image.runEntrypoint();
    assertThat(apk.exitCode()).as(apk.stderr()).isZero();
    Tools.Result busybox = image.run(Map.of(), "/bin/busybox", "echo", "base-intact");
    assertThat(busybox.stdout()).as(busybox.stderr()).isEqualTo("base-intact\n");
    return apk.stdout().trim();
  }

  @Test
  void librariesTheBaseHasByteForByteAreNotGraftedAgain(@TempDir Path tmp) throws Exception {
    Built b = build(tmp, "3.15", "3.15", null);
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).containsExactly("/sbin/apk");
    assertThat(codes(b.findings())).containsExactly("info CLOSURE_SAME_AS_BASE /lib/ld-musl-x86_64.so.1");
    assertThat(message(b.findings(), "CLOSURE_SAME_AS_BASE", "/lib/ld-musl-x86_64.so.1")).contains(
        "already has 5 of the closure's libraries with the same bytes; not grafted again: /lib/ld-musl-x86_64.so.1, "
            + "/lib/libcrypto.so.1.1, /lib/libz.so.1, /lib/libapk.so.3.12.0, /lib/libssl.so.1.1");
    assertThat(runs(tmp, b)).isEqualTo("apk-tools 2.12.7, compiled for x86_64.");
  }

  @Test
  void aNewerLibraryDefiningAllTheBaseOnesDoesReplacesItAndSaysSo(@TempDir Path tmp) throws Exception {
    // Alpine 3.16's musl 1.2.3 onto 3.15's 1.2.2: every symbol of the old plus pthread_getname_np
    Built b = build(tmp, "3.16", "3.15", null);
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).contains("/sbin/apk", "/lib/ld-musl-x86_64.so.1", "/lib/libz.so.1", "/lib/libz.so.1.2.12");
    assertThat(codes(b.findings())).contains("info CLOSURE_REPLACES_BASE /lib/ld-musl-x86_64.so.1",
        "info CLOSURE_REPLACES_BASE /lib/libz.so.1").noneMatch(c -> c.startsWith("error") || c.startsWith("warning"));
    assertThat(message(b.findings(), "CLOSURE_REPLACES_BASE", "/lib/ld-musl-x86_64.so.1")).contains(
        "grafts the builder's /lib/ld-musl-x86_64.so.1 (needed by /sbin/apk) over the base's; it defines everything "
            + "the base's does and 1 symbol(s) more, so the base's own programs keep working");
    assertThat(runs(tmp, b)).isEqualTo("apk-tools 2.12.9, compiled for x86_64.");

    // a rebuild takes the selection from the cache, and says the same
    Built again = build(tmp, "3.16", "3.15", null);
    assertThat(again.findings()).isEqualTo(b.findings());
    assertThat(again.grafted()).isEqualTo(b.grafted());
  }

  @Test
  void conflictsBaseKeepsTheBaseLibrariesAndGraftsTheRest(@TempDir Path tmp) throws Exception {
    Built b = build(tmp, "3.18", "3.15", "base");
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).containsExactlyInAnyOrder(
        "/sbin/apk", "/lib/libapk.so.2.14.0", "/lib/libcrypto.so.3", "/lib/libssl.so.3");
    assertThat(codes(b.findings())).containsExactly("info CLOSURE_KEEPS_BASE /lib/ld-musl-x86_64.so.1",
        "info CLOSURE_KEEPS_BASE /lib/libz.so.1");
    assertThat(message(b.findings(), "CLOSURE_KEEPS_BASE", "/lib/libz.so.1")).contains(
        "kept the base's /lib/libz.so.1 (-> libz.so.1.2.12) instead of the builder's (-> libz.so.1.2.13) "
            + "(conflicts: base); verification judges /sbin/apk against it");
    // Alpine 3.18's apk runs on 3.15's musl and zlib: verification found nothing it lacks
    assertThat(runs(tmp, b)).isEqualTo("apk-tools 2.14.4, compiled for x86_64.");
  }

  /**
   * The refusal, proven by running: a base (Alpine 3.18) with a program of its own that calls
   * pthread_getname_np (musl 1.2.3+), and a builder (Alpine 3.15, musl 1.2.2) whose musl lacks it.
   */
  @Test
  void anOlderLibraryTheBaseFilesNeedMoreOfIsRefusedByDefaultAndWouldReallyBreakThem(@TempDir Path tmp) throws Exception {
    AlpineImages.Fixture alpine318 = AlpineImages.singlePlatformLayout(tmp.resolve("alpine-3.18"), "3.18",
        Platform.LINUX_AMD64);
    Path own = Files.createDirectories(tmp.resolve("own"));
    Files.writeString(own.resolve("graft.yaml"), """
        base: %s
        layers:
          - { name: getname, from: %s, to: /usr/local/bin }
        """.formatted(alpine318.ref(), MuslSymbol.getname().getParent()));
    String base = "oci:" + tmp.resolve("base-with-getname") + ":latest";
    CliRun made = CliRun.of("build", "-f", own.resolve("graft.yaml").toString(), "--to", base, "-q",
        "--cache-dir", tmp.resolve("cache").toString());
    assertThat(made.exitCode()).as(made.err()).isZero();

    Built refused = buildOn(Files.createDirectories(tmp.resolve("compatible")), "3.15", base, null);
    assertThat(refused.run().exitCode()).isEqualTo(1);
    assertThat(refused.run().err()).contains("closure: auto would graft the builder's /lib/ld-musl-x86_64.so.1 "
        + "(needed by /sbin/apk) over the base's, but the builder's lacks pthread_getname_np (1 symbol the base's "
        + "defines), which /usr/local/bin/getname (pthread_getname_np) of base image " + base + " needs",
        "Choose in the layer: 'conflicts: base' keeps the base's library");
    assertThat(tmp.resolve("compatible/out")).as("nothing written").doesNotExist();

    // conflicts: builder does it anyway, says what breaks, and the base's program really breaks
    Built forced = buildOn(Files.createDirectories(tmp.resolve("builder")), "3.15", base, "builder");
    assertThat(forced.run().exitCode()).as(forced.run().err()).isZero();
    assertThat(codes(forced.findings())).contains("warning CLOSURE_REPLACES_BASE /lib/ld-musl-x86_64.so.1");
    assertThat(message(forced.findings(), "CLOSURE_REPLACES_BASE", "/lib/ld-musl-x86_64.so.1")).contains(
        "though it lacks pthread_getname_np (1 symbol the base's defines), which /usr/local/bin/getname "
            + "(pthread_getname_np) of the base needs");
    UnpackedImage broken = UnpackedImage.of(tmp.resolve("builder/run"), "oci:" + forced.layout() + ":latest", "amd64");
    Tools.Result getname = broken.run(Map.of(), "/usr/local/bin/getname");
    assertThat(getname.exitCode()).isEqualTo(127);
    assertThat(getname.stderr()).contains("Error relocating /usr/local/bin/getname: pthread_getname_np: symbol not found");

    // conflicts: base keeps 3.18's musl: the grafted apk and the base's program both run
    Path keptDir = Files.createDirectories(tmp.resolve("base"));
    Built kept = buildOn(keptDir, "3.15", base, "base");
    assertThat(kept.run().exitCode()).as(kept.run().err()).isZero();
    assertThat(kept.grafted()).doesNotContain("/lib/ld-musl-x86_64.so.1");
    assertThat(runs(keptDir, kept)).isEqualTo("apk-tools 2.12.7, compiled for x86_64.");
    UnpackedImage fine = UnpackedImage.of(keptDir.resolve("run2"), "oci:" + kept.layout() + ":latest", "amd64");
    Tools.Result named = fine.run(Map.of(), "/usr/local/bin/getname");
    assertThat(named.stdout()).as(named.stderr()).isEqualTo("thread name: graft\n");
  }
}
