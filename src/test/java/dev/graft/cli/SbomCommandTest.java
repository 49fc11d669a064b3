package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.CycloneDxSchema;
import dev.graft.testing.DebianRootfs;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.SpdxJudge;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft sbom} on images graft did not build: the distribution's packages it lists are the
 * ones the distribution's own tools list (dpkg-query over the rootfs; apk's database read by tar and
 * awk from the minirootfs tarball), in CycloneDX 1.6 (judged by the official schema) and in SPDX
 * 2.3 (judged by the SPDX project's own verifier); both formats list the same packages.
 */
class SbomCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void listsEveryDebianPackageDpkgQueryLists() throws Exception {
    Path tarball = DebianRootfs.tarball("bookworm", "minbase");
    Path layout = tmp.resolve("debian");
    OciLayouts.write(layout, "bookworm", List.of(tarball));
    CliRun run = CliRun.of("sbom", "oci:" + layout + ":bookworm");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode sbom = JSON.readTree(run.out());
    assertThat(CycloneDxSchema.validate(sbom)).isEmpty();

    Path rootfs = DebianRootfs.unpack("bookworm", "minbase", tmp.resolve("rootfs"));
    Set<String> expected = new TreeSet<>(Tools.runOk(Duration.ofSeconds(60), "dpkg-query",
        "--admindir=" + rootfs.resolve("var/lib/dpkg"), "-W", "-f", "${Package}@${Version}\\n").stdout().lines().toList());
    assertThat(expected).hasSizeGreaterThan(50);
    assertThat(packages(sbom, "pkg:deb/debian/")).isEqualTo(expected);

    CliRun spdx = CliRun.of("sbom", "--format", "spdx", "oci:" + layout + ":bookworm");
    assertThat(spdx.exitCode()).as(spdx.err()).isZero();
    assertThat(SpdxJudge.problems(spdx.out().getBytes(StandardCharsets.UTF_8), tmp)).isEmpty();
    assertThat(spdxPackages(JSON.readTree(spdx.out()), "pkg:deb/debian/")).isEqualTo(expected);
  }

  @Test
  void listsEveryAlpinePackageOfTheApkDatabase() throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.16", Platform.LINUX_AMD64);
    CliRun run = CliRun.of("sbom", alpine.ref());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode sbom = JSON.readTree(run.out());
    assertThat(CycloneDxSchema.validate(sbom)).isEmpty();
    Path tar = TestData.alpine("3.16", "x86_64");
    String db = Tools.runOk(Duration.ofSeconds(60), "sh", "-c", "tar -xzOf '" + tar + "' --wildcards '*lib/apk/db/installed'"
        + " | awk -F: '/^P:/{p=$2} /^V:/{print p \"@\" $2}'").stdout();
    Set<String> expected = new TreeSet<>(db.lines().toList());
    assertThat(expected).hasSizeGreaterThan(10);
    assertThat(packages(sbom, "pkg:apk/alpine/")).isEqualTo(expected);
    // the same image gives the same bytes
    assertThat(CliRun.of("sbom", alpine.ref()).out()).isEqualTo(run.out());

    CliRun spdx = CliRun.of("sbom", "--format", "spdx", alpine.ref());
    assertThat(spdx.exitCode()).as(spdx.err()).isZero();
    assertThat(SpdxJudge.problems(spdx.out().getBytes(StandardCharsets.UTF_8), tmp)).isEmpty();
    JsonNode doc = JSON.readTree(spdx.out());
    assertThat(doc.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(spdxPackages(doc, "pkg:apk/alpine/")).isEqualTo(expected);
    assertThat(CliRun.of("sbom", "--format", "spdx", alpine.ref()).out()).isEqualTo(spdx.out());
  }

  @Test
  void anUnknownFormatIsRefusedNamingTheOnesThereAre() throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.16", Platform.LINUX_AMD64);
    CliRun run = CliRun.of("sbom", "--format", "swid", alpine.ref());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("unknown SBOM format 'swid'", "cyclonedx", "spdx");
    assertThat(run.out()).isEmpty();
  }

  /** NAME@VERSION of every SPDX package whose purl starts with {@code purlPrefix}. */
  static Set<String> spdxPackages(JsonNode doc, String purlPrefix) {
    Set<String> out = new TreeSet<>();
    for (JsonNode p : doc.path("packages")) {
      for (JsonNode ref : p.path("externalRefs")) {
        if (ref.path("referenceType").asText().equals("purl") && ref.path("referenceLocator").asText().startsWith(purlPrefix)) {
          out.add(p.path("name").asText() + "@" + p.path("versionInfo").asText());
        }
      }
    }
    return out;
  }

  private static Set<String> packages(JsonNode sbom, String purlPrefix) {
    Set<String> out = new TreeSet<>();
    for (JsonNode c : sbom.path("components")) {
      if (c.path("purl").asText().startsWith(purlPrefix)) {
        out.add(c.path("name").asText() + "@" + c.path("version").asText());
      }
    }
    return out;
  }
}
