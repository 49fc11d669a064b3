package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.MuslSymbol;
import dev.graft.testing.TestData;
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
    return build(tmp, builder.ref(), baseRef, "/sbin/apk", conflicts);
  }

  private static Built build(Path tmp, String builderRef, String baseRef, String program, String conflicts)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(dir.resolve("graft.yaml"), """
        base: %s
        builder: %s
        platforms: [linux/amd64]
        layers:
          - name: program
            from: builder
            paths: [%s]
            closure: auto
        %s
        config:
          entrypoint: [%s, --version]
        """.formatted(baseRef, builderRef, program, conflicts == null ? "" : "    conflicts: " + conflicts, program));
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

  /** An Alpine image with files of ours added (a graft build of the minirootfs plus local directories). */
  private static String alpineWith(Path tmp, String version, Map<String, Path> dirs) throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("alpine-" + version), version,
        Platform.LINUX_AMD64);
    Path own = Files.createDirectories(tmp.resolve("own-" + version));
    StringBuilder yaml = new StringBuilder("base: " + alpine.ref() + "\nlayers:\n");
    int n = 0;
    for (Map.Entry<String, Path> d : dirs.entrySet()) {
      yaml.append("  - { name: own").append(n++).append(", from: ").append(d.getValue()).append(", to: ")
          .append(d.getKey()).append(" }\n");
    }
    Files.writeString(own.resolve("graft.yaml"), yaml);
    String ref = "oci:" + tmp.resolve("with-" + version) + ":latest";
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("build", "-f",
        own.resolve("graft.yaml").toString(), "--to", ref, "-q", "--verify=off", "--cache-dir",
        tmp.resolve("own-cache").toString()));
    dirs.values().forEach(d -> args.addAll(java.util.List.of("--allow-outside", d.toString()))); // fixtures live elsewhere
    CliRun made = CliRun.of(args.toArray(String[]::new));
    assertThat(made.exitCode()).as(made.err()).isZero();
    return ref;
  }

  /** Alpine's musl loader of {@code version}, with one exported symbol renamed (same length) so it lacks it. */
  private static Path muslWithout(Path dir, String version, String symbol) throws Exception {
    Path out = Files.createDirectories(dir).resolve("ld-musl-x86_64.so.1");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(TestData.alpine(version, "x86_64")));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.getName().equals("./lib/ld-musl-x86_64.so.1") || e.getName().equals("lib/ld-musl-x86_64.so.1")) {
          byte[] bytes = tar.readAllBytes();
          byte[] name = ("\0" + symbol + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          int at = indexOf(bytes, name);
          assertThat(at).as(symbol + " in musl's dynamic string table").isPositive();
          bytes[at + symbol.length()] = 'X'; // klogctl -> klogctX: the loader finds no klogctl any more
          Files.write(out, bytes);
          out.toFile().setExecutable(true);
          return out;
        }
      }
    }
    throw new AssertionError("no ld-musl in Alpine " + version);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
  void aDifferentBaseLibraryWithEverythingTheGraftedFilesNeedIsKept(@TempDir Path tmp) throws Exception {
    // Alpine 3.16's apk onto 3.15: its musl, libcrypto, libssl, zlib and libapk are other builds,
    // but 3.15's define everything 3.16's apk uses of them
    Built b = build(tmp, "3.16", "3.15", null);
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).containsExactly("/sbin/apk");
    assertThat(codes(b.findings())).containsExactlyInAnyOrder("info CLOSURE_KEEPS_BASE /lib/ld-musl-x86_64.so.1",
        "info CLOSURE_KEEPS_BASE /lib/libapk.so.3.12.0", "info CLOSURE_KEEPS_BASE /lib/libcrypto.so.1.1",
        "info CLOSURE_KEEPS_BASE /lib/libssl.so.1.1", "info CLOSURE_KEEPS_BASE /lib/libz.so.1");
    assertThat(message(b.findings(), "CLOSURE_KEEPS_BASE", "/lib/libz.so.1")).contains(
        "kept the base's /lib/libz.so.1 (-> libz.so.1.2.12), which differs from the builder's (-> libz.so.1.2.12) but "
            + "has everything the grafted files need from it; the base's own programs keep theirs");
    assertThat(runs(tmp, b)).isEqualTo("apk-tools 2.12.9, compiled for x86_64.");
  }

  @Test
  void aNewerLibraryTheGraftedProgramNeedsReplacesTheBaseOneWhenTheBaseKeepsWorking(@TempDir Path tmp)
      throws Exception {
    // a program linked against musl 1.2.3 (pthread_getname_np) in an Alpine 3.16 builder, onto 3.15
    String builder = alpineWith(tmp, "3.16", Map.of("/usr/local/bin", MuslSymbol.getname().getParent()));
    AlpineImages.Fixture base = AlpineImages.singlePlatformLayout(tmp.resolve("base"), "3.15", Platform.LINUX_AMD64);
    Built b = build(tmp, builder, base.ref(), "/usr/local/bin/getname", null);
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.grafted()).containsExactlyInAnyOrder("/usr/local/bin/getname", "/lib/ld-musl-x86_64.so.1");
    assertThat(codes(b.findings())).containsExactly("info CLOSURE_REPLACES_BASE /lib/ld-musl-x86_64.so.1");
    assertThat(message(b.findings(), "CLOSURE_REPLACES_BASE", "/lib/ld-musl-x86_64.so.1")).contains(
        "grafts the builder's /lib/ld-musl-x86_64.so.1 over the base's: the base's lacks pthread_getname_np (needed by "
            + "/usr/local/bin/getname); it defines everything the base's does and 1 symbol(s) more, so the base's own "
            + "programs keep working");
    UnpackedImage image = UnpackedImage.of(tmp.resolve("run"), "oci:" + b.layout() + ":latest", "amd64");
    Tools.Result getname = image.run(Map.of(), "/usr/local/bin/getname");
    assertThat(getname.stdout()).as(getname.stderr()).isEqualTo("thread name: graft\n");
    Tools.Result busybox = image.run(Map.of(), "/bin/busybox", "echo", "base-intact");
    assertThat(busybox.stdout()).as(busybox.stderr()).isEqualTo("base-intact\n");

    // a rebuild takes the selection from the cache, and says the same
    Built again = build(tmp, builder, base.ref(), "/usr/local/bin/getname", null);
    assertThat(again.findings()).isEqualTo(b.findings());
    assertThat(again.grafted()).isEqualTo(b.grafted());
  }

  /**
   * Neither library serves both sides: the grafted program needs the builder's musl
   * (pthread_getname_np), and the base's busybox needs a function that musl lacks (klogctl, renamed
   * away in the builder's copy). Refused by default; each explicit choice breaks exactly the side the
   * report says, proven by running both.
   */
  @Test
  void whenNeitherLibraryServesBothTheBuildIsRefusedAndEachChoiceBreaksWhatItSays(@TempDir Path tmp)
      throws Exception {
    String builder = alpineWith(tmp, "3.16", Map.of("/usr/local/bin", MuslSymbol.getname().getParent(),
        "/lib", muslWithout(tmp.resolve("patched"), "3.16", "klogctl").getParent()));
    AlpineImages.Fixture base = AlpineImages.singlePlatformLayout(tmp.resolve("base"), "3.15", Platform.LINUX_AMD64);
    String prog = "/usr/local/bin/getname";

    Built refused = build(Files.createDirectories(tmp.resolve("compatible")), builder, base.ref(), prog, null);
    assertThat(refused.run().exitCode()).isEqualTo(1);
    assertThat(refused.run().err()).contains("closure: auto needs the builder's /lib/ld-musl-x86_64.so.1, since the "
        + "base's /lib/ld-musl-x86_64.so.1 lacks pthread_getname_np (needed by " + prog + "); but the builder's lacks "
        + "klogctl (1 symbol the base's defines), which /bin/busybox (klogctl) of base image " + base.ref() + " needs",
        "Neither library serves both: choose in the layer 'conflicts: base'");
    assertThat(tmp.resolve("compatible/out")).as("nothing written").doesNotExist();

    // conflicts: builder: the program runs, the base's busybox does not
    Built forced = build(Files.createDirectories(tmp.resolve("builder")), builder, base.ref(), prog, "builder");
    assertThat(forced.run().exitCode()).as(forced.run().err()).isZero();
    assertThat(codes(forced.findings())).containsExactly("warning CLOSURE_REPLACES_BASE /lib/ld-musl-x86_64.so.1");
    assertThat(message(forced.findings(), "CLOSURE_REPLACES_BASE", "/lib/ld-musl-x86_64.so.1")).contains(
        "it lacks klogctl (1 symbol the base's defines), which /bin/busybox (klogctl) of the base needs");
    UnpackedImage broken = UnpackedImage.of(tmp.resolve("builder/run"), "oci:" + forced.layout() + ":latest", "amd64");
    assertThat(broken.run(Map.of(), prog).stdout()).isEqualTo("thread name: graft\n");
    Tools.Result busybox = broken.run(Map.of(), "/bin/busybox", "echo", "x");
    assertThat(busybox.exitCode()).isEqualTo(127);
    assertThat(busybox.stderr()).contains("Error relocating /bin/busybox: klogctl: symbol not found");

    // conflicts: base: busybox runs, the program does not, and verification said so, naming the builder
    Built kept = build(Files.createDirectories(tmp.resolve("base")), builder, base.ref(), prog, "base");
    assertThat(kept.run().exitCode()).as(kept.run().err()).isZero();
    assertThat(codes(kept.findings())).containsExactlyInAnyOrder("error SYMBOL_MISSING " + prog,
        "info CLOSURE_KEEPS_BASE /lib/ld-musl-x86_64.so.1");
    assertThat(message(kept.findings(), "CLOSURE_KEEPS_BASE", "/lib/ld-musl-x86_64.so.1")).contains(
        "kept the base's /lib/ld-musl-x86_64.so.1 instead of the builder's (conflicts: base), though it lacks "
            + "pthread_getname_np (needed by " + prog + ")");
    assertThat(message(kept.findings(), "SYMBOL_MISSING", prog)).contains(builder);
    UnpackedImage keptImage = UnpackedImage.of(tmp.resolve("base/run"), "oci:" + kept.layout() + ":latest", "amd64");
    assertThat(keptImage.run(Map.of(), "/bin/busybox", "echo", "x").stdout()).isEqualTo("x\n");
    Tools.Result getname = keptImage.run(Map.of(), prog);
    assertThat(getname.exitCode()).isEqualTo(127);
    assertThat(getname.stderr()).contains("Error relocating " + prog + ": pthread_getname_np: symbol not found");
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
            + "(conflicts: base); it has everything the grafted files need from it");
    // Alpine 3.18's apk runs on 3.15's musl and zlib: verification found nothing it lacks
    assertThat(runs(tmp, b)).isEqualTo("apk-tools 2.14.4, compiled for x86_64.");
  }
}
