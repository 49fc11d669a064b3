package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.HostileImages;
import dev.graft.testing.Tools;
import dev.graft.testing.UmociTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device nodes and FIFOs (testdata/hostile's {@code special-files}: {@code /app/null} char 1,3,
 * {@code /app/sda} block 8,0, {@code /app/fifo}) are refused in what a layer takes from an image,
 * naming each, unless the layer says {@code specialFiles: keep}; {@code extract} skips them by name;
 * {@code ls}, {@code verify} and {@code copy} show and keep the image as it is.
 */
class SpecialFilesTest {
  private static final String IMAGE = "special-files";
  @TempDir Path tmp;

  @Test
  void aLayerTakingThemFromTheBuilderIsRefusedNamingEach() throws Exception {
    Cli r = HostileRuns.buildFrom(HostileImages.ref(IMAGE), "paths: [/app], closure: off", tmp);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains("layer 'app'", "3 device nodes or FIFOs", "/app/null (character device 1,3)",
        "/app/sda (block device 8,0)", "/app/fifo (FIFO)", "specialFiles: keep", "exclude");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void aLayerThatOptsInKeepsThemAndUmociUnpacksThem() throws Exception {
    Cli r = HostileRuns.buildFrom(HostileImages.ref(IMAGE), "paths: [/app], closure: off, specialFiles: keep", tmp);
    assertThat(r.exitCode()).as(r.err()).isZero();

    Map<String, String> unpacked = UmociTrees.unpack(tmp.resolve("out"), "t", tmp.resolve("bundle"));
    assertThat(unpacked.get("/app/sda")).startsWith("block 600");
    assertThat(unpacked.get("/app/null")).startsWith("char 600");
    assertThat(unpacked.get("/app/fifo")).startsWith("fifo 644");
  }

  @Test
  void excludingThemIsEnough() throws Exception {
    Cli r = HostileRuns.buildFrom(HostileImages.ref(IMAGE),
        "paths: [/app], closure: off, exclude: [/app/null, /app/sda, /app/fifo]", tmp);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(HostileRuns.ls("oci:" + tmp.resolve("out") + ":t", "/app").out()).contains("/app/index.js")
        .doesNotContain("/app/sda");
  }

  @Test
  void theKeyIsCheckedWhereItCannotApply() throws Exception {
    Files.createDirectories(tmp.resolve("site"));
    Files.writeString(tmp.resolve("graft.yaml"), """
        base: %s
        layers:
          - { name: site, from: ./site, to: /srv, specialFiles: keep }
          - { name: app, from: base, paths: [/app], specialFiles: maybe }
        """.formatted(HostileImages.ref(IMAGE)));
    Cli r = Cli.run("plan", "-f", tmp.resolve("graft.yaml").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("graft.yaml:3:57: 'specialFiles' says what happens", "takes no files from an image")
        .contains("layers[1].specialFiles' must be refuse or keep, got 'maybe'");
  }

  @Test
  void extractSkipsThemByName() throws Exception {
    Cli r = HostileRuns.extract(HostileImages.ref(IMAGE), "/app", tmp.resolve("out"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("skipped /app/null (char)", "skipped /app/sda (block)", "skipped /app/fifo (fifo)");
    assertThat(HostileRuns.listing(tmp.resolve("out"))).containsExactly("", "app", "app/index.js");
  }

  @Test
  void lsShowsThemAsTheyAre() {
    Cli r = HostileRuns.ls(HostileImages.ref(IMAGE), "/app");
    assertThat(r.out()).contains("crw-------     0     0       1, 3 /app/null", "brw-------     0     0       8, 0 /app/sda",
        "prw-r--r--     0     0          0 /app/fifo");
  }

  @Test
  void verifyReadsTheImageAsItIs() {
    Cli r = HostileRuns.verify(HostileImages.ref(IMAGE));
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
  }

  @Test
  void copyKeepsThemByteForByte() throws Exception {
    Cli r = HostileRuns.copy(HostileImages.ref(IMAGE), tmp.resolve("copy"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    String copied = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw", "oci:" + tmp.resolve("copy") + ":t").stdout();
    String original = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw", HostileImages.ref(IMAGE)).stdout();
    assertThat(copied).isEqualTo(original);
  }

  /** A base's layers are the base: kept byte for byte, its special files with them (runtimes decide). */
  @Test
  void aBaseKeepsItsOwnLayersAsTheyAre() throws Exception {
    Cli r = HostileRuns.buildOn(HostileImages.ref(IMAGE), tmp);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Map<String, String> unpacked = UmociTrees.unpack(tmp.resolve("out"), "t", tmp.resolve("bundle"));
    assertThat(unpacked.get("/app/sda")).startsWith("block 600");
    assertThat(unpacked).containsKey("/srv/a.txt");
  }
}
