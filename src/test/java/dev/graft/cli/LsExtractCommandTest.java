package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.AlpineImages;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestData;
import dev.graft.testing.TestTars;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft ls} and {@code graft extract} end to end on real Alpine layouts. */
class LsExtractCommandTest {
  @TempDir Path tmp;
  String ref;

  @BeforeEach
  void layout() throws Exception {
    Path upper = tmp.resolve("upper.tar");
    Files.write(upper, TestTars.create()
        .whiteout("etc", "motd")
        .dir("evil")
        .symlink("evil/up", "../../../../../tmp/graft-escape")
        .file("usr/local/bin/app", "#!/bin/sh\necho hi\n", 04755, 1000, 1000)
        .bytes());
    OciLayouts.write(tmp.resolve("oci"), "t", List.of(TestData.alpine("3.16", "x86_64"), upper));
    ref = "oci:" + tmp.resolve("oci") + ":t";
  }

  @Test
  void listsDirectoryLikeLsWithLinksAndNumericOwners() {
    CliRun r = CliRun.of("ls", ref, "/lib");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("lrwxrwxrwx     0     0          0 /lib/libc.musl-x86_64.so.1 -> ld-musl-x86_64.so.1")
        .containsPattern("-rwxr-xr-x     0     0 +\\d+ /lib/ld-musl-x86_64.so.1");
    assertThat(CliRun.of("ls", ref, "/usr/local/bin/app").out())
        .startsWith("-rwsr-xr-x  1000  1000         18 /usr/local/bin/app");
  }

  @Test
  void jsonListingHasOneObjectPerPath() {
    CliRun r = CliRun.of("ls", ref, "/usr/local/bin", "--json");
    assertThat(r.out()).contains("\"path\":\"/usr/local/bin/app\"").contains("\"mode\":\"4755\"")
        .contains("\"uid\":1000");
  }

  @Test
  void listingShowsMergedViewWithoutWhiteoutedFiles() {
    CliRun r = CliRun.of("ls", ref, "/etc");
    assertThat(r.out()).contains("/etc/os-release").doesNotContain("/etc/motd").doesNotContain(".wh.");
  }

  @Test
  void missingPathIsAOneLineError() {
    CliRun r = CliRun.of("ls", ref, "/nope");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.error()).contains("has no /nope");
  }

  @Test
  void multiPlatformImageNeedsPlatformFlag() {
    AlpineImages.Fixture f = AlpineImages.layout(tmp.resolve("multi"), "3.16");
    assertThat(CliRun.of("ls", f.ref(), "/").error()).contains("--platform");
    CliRun arm = CliRun.of("ls", f.ref(), "/lib", "--platform", "linux/arm64");
    assertThat(arm.out()).contains("/lib/ld-musl-aarch64.so.1");
  }

  @Test
  void extractsSymlinksAsLinksAndKeepsModes() throws Exception {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("extract", ref, "/lib/libc.musl-x86_64.so.1", "/lib/ld-musl-x86_64.so.1", "/etc/apk/**",
        "--to", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path link = out.resolve("lib/libc.musl-x86_64.so.1");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("ld-musl-x86_64.so.1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("lib/ld-musl-x86_64.so.1"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(out.resolve("etc/apk/repositories")).isRegularFile();
  }

  @Test
  void extractJsonSaysWhatWasWritten() throws Exception {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("extract", ref, "/lib/libc.musl-x86_64.so.1", "/lib/ld-musl-x86_64.so.1", "--to",
        out.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode json = dev.graft.oci.Json.MAPPER.readTree(r.out());
    assertThat(json.get("written").asInt()).as("the link and its target, both named").isEqualTo(2);
    assertThat(json.get("to").asText()).isEqualTo(out.toString());
    assertThat(json.get("skipped")).isEmpty();
    assertThat(r.err()).as("stderr stays free for errors").isEmpty();
  }

  @Test
  void refusesSymlinkThatEscapesTheDirectory() {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("extract", ref, "/evil", "--to", out.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.error()).contains("/evil/up").contains("outside the extraction directory");
    assertThat(Files.exists(out.resolve("evil/up"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void neverWritesThroughASymlinkPlantedInTheTargetDirectory() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(out.resolve("etc"), outside);
    CliRun r = CliRun.of("extract", ref, "/etc/hostname", "--to", out.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.error()).contains("not a directory").contains("symlink");
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void missingExtractPathNamesClosestMatches() {
    CliRun r = CliRun.of("extract", ref, "/lib/ld-musl-x86_64.so.2", "--to", tmp.resolve("o").toString());
    assertThat(r.error()).contains("has no /lib/ld-musl-x86_64.so.2").contains("/lib/ld-musl-x86_64.so.1");
  }
}
