package dev.graft.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.testing.SpdxJudge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPDX writer on inventories with what real packages state: license texts that are not SPDX
 * expressions (apk's "custom", "Public-Domain", package.json's "SEE LICENSE IN …"), valid
 * expressions with operators, exceptions and parentheses, names SPDX ids cannot hold, and two
 * packages with one name. The SPDX project's verifier judges every document.
 */
class SpdxWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static ImageSubject subject() {
    Digest layer = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
    return new ImageSubject("registry.example/acme/app", Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8)),
        Platform.LINUX_AMD64, Optional.of("alpine:3.18"), Optional.of(Digest.sha256("base".getBytes(StandardCharsets.UTF_8))),
        List.of(new LayerOrigin(0, Digest.sha256("b".getBytes(StandardCharsets.UTF_8)), true, "", "base image", Optional.empty(),
            Optional.empty()),
            new LayerOrigin(1, layer, false, "runtime", "builder image node:20", Optional.of("node:20"),
                Optional.of(Digest.sha256("builder".getBytes(StandardCharsets.UTF_8))))),
        List.of(), Instant.ofEpochSecond(1_700_000_000L), "1.2.3");
  }

  @Test
  void licenseTextsThatAreNotExpressionsBecomeExtractedReferencesAndTheDocumentVerifies() throws Exception {
    List<OsPackage> os = new ArrayList<>();
    String[] licenses = {"MIT", "GPL-2.0-only AND MIT", "(MIT OR Apache-2.0) AND BSD-3-Clause",
        "GPL-2.0-or-later WITH Classpath-exception-2.0", "custom", "Public-Domain", "MPL-1.1+ OR GPL-2.0", "MIT AND",
        "LGPL-2.1-or-later AND custom:multiple", ""};
    for (int i = 0; i < licenses.length; i++) {
      os.add(new OsPackage("apk", "pkg" + i, "1.0-r" + i, "x86_64", licenses[i], "origin" + i,
          i == 0 ? List.of("/lib/libz.so.1") : List.of()));
    }
    List<NpmComponent> npm = List.of(
        new NpmComponent("/app/node_modules/@scope/odd name", "@scope/odd name", "1.0.0", "SEE LICENSE IN LICENSE.md",
            "sha512-cU8v/EGSrnH+HnxV2z0J7/blxH8gq7Xh2JFT6Aroax7UohdmiJJlxApMxtKfuI7z68NvvVcmR78k2LbT6efhRg==",
            "https://registry.npmjs.org/@scope/odd/-/odd-1.0.0.tgz"),
        new NpmComponent("/app/node_modules/a/node_modules/dup", "dup", "1.0.0", "ISC", "", ""),
        new NpmComponent("/app/node_modules/dup", "dup", "2.0.0", "(MIT OR GPL-3.0-only)", "sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "git+ssh://x"));
    List<BinaryComponent> bins = List.of(
        new BinaryComponent("/usr/local/bin/node", BinaryComponent.Kind.PROGRAM, 1, "node", Optional.of("20.20.2"),
            "a".repeat(64), List.of(), List.of("/usr/lib/libstdc++.so.6", "/lib/libz.so.1", "/lib/unknown.so")),
        new BinaryComponent("/usr/lib/libstdc++.so.6", BinaryComponent.Kind.LIBRARY, 1, "libstdc++.so.6",
            Optional.empty(), "b".repeat(64), List.of("/usr/local/bin/node"), List.of()));
    ImageInventory inventory = new ImageInventory(Optional.of(new OsPackages.Distro("alpine", "3.18.4")), os, npm,
        Map.of("/app/node_modules/@scope/odd name", 1, "/app/node_modules/dup", 1), bins);

    byte[] bytes = SpdxWriter.write(subject(), inventory);
    assertThat(SpdxJudge.problems(bytes, tmp)).isEmpty();
    assertThat(SpdxWriter.write(subject(), inventory)).as("the same inventory gives the same bytes").isEqualTo(bytes);

    JsonNode doc = JSON.readTree(bytes);
    assertThat(doc.at("/creationInfo/created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(declared(doc, "pkg0")).isEqualTo("MIT");
    assertThat(declared(doc, "pkg1")).isEqualTo("GPL-2.0-only AND MIT");
    assertThat(declared(doc, "pkg2")).isEqualTo("(MIT OR Apache-2.0) AND BSD-3-Clause");
    assertThat(declared(doc, "pkg3")).isEqualTo("GPL-2.0-or-later WITH Classpath-exception-2.0");
    assertThat(declared(doc, "pkg4")).startsWith("LicenseRef-custom-");
    assertThat(declared(doc, "pkg6")).as("a deprecated id is not on the list: referred to, its text kept")
        .startsWith("MPL-1.1+ OR LicenseRef-GPL-2.0-");
    assertThat(declared(doc, "pkg7")).as("a broken expression is referred to whole").startsWith("LicenseRef-MIT-AND-");
    assertThat(declared(doc, "pkg8")).startsWith("LGPL-2.1-or-later AND LicenseRef-custom-multiple-");
    assertThat(doc.path("packages").findValues("name").stream().filter(n -> n.asText().equals("pkg9")).count()).isOne();
    List<String> texts = doc.path("hasExtractedLicensingInfos").findValuesAsText("extractedText");
    assertThat(texts).contains("custom", "Public-Domain", "MIT AND", "custom:multiple", "SEE LICENSE IN LICENSE.md",
        "GPL-2.0");
    assertThat(doc.path("hasExtractedLicensingInfos").findValuesAsText("licenseId")).doesNotHaveDuplicates();

    List<String> ids = doc.path("packages").findValuesAsText("SPDXID");
    assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("SPDXRef-[A-Za-z0-9.\\-]+"));
    String node = idOf(doc, "node");
    assertThat(targets(doc, node, "DYNAMIC_LINK")).containsExactly(idOf(doc, "libstdc++.so.6"), idOf(doc, "pkg0"));
    assertThat(targets(doc, "SPDXRef-Layer-1-runtime", "GENERATED_FROM")).hasSize(1);
    assertThat(targets(doc, "SPDXRef-Layer-1-runtime", "CONTAINS")).contains(node, idOf(doc, "@scope/odd name"));
  }

  /** The judge is not a rubber stamp: what graft's writer never writes, it refuses. */
  @Test
  void theVerifierRefusesWhatTheWriterMustNotWrite() throws Exception {
    ImageInventory empty = new ImageInventory(Optional.empty(), List.of(new OsPackage("apk", "zlib", "1.3-r0", "x86_64",
        "Zlib", "", List.of())), List.of(), Map.of(), List.of());
    byte[] good = SpdxWriter.write(subject(), empty);
    assertThat(SpdxJudge.problems(good, tmp)).isEmpty();
    String text = new String(good, StandardCharsets.UTF_8);
    assertThat(SpdxJudge.problems(text.replace("\"Zlib\"", "\"NotALicense-1.0\"").getBytes(StandardCharsets.UTF_8), tmp))
        .as("an unknown license id").isNotEmpty();
    assertThat(SpdxJudge.problems(text.replace("\"SPDX-2.3\"", "\"SPDX-9\"").getBytes(StandardCharsets.UTF_8), tmp))
        .as("an unknown version").isNotEmpty();
    assertThat(SpdxJudge.problems(text.replace("\"CONTAINER\"", "\"BOX\"").getBytes(StandardCharsets.UTF_8), tmp))
        .as("a purpose outside the schema").isNotEmpty();
  }

  private static String declared(JsonNode doc, String name) {
    for (JsonNode p : doc.path("packages")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("licenseDeclared").asText();
      }
    }
    throw new AssertionError("no " + name);
  }

  private static String idOf(JsonNode doc, String name) {
    for (JsonNode p : doc.path("packages")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("SPDXID").asText();
      }
    }
    throw new AssertionError("no " + name);
  }

  private static List<String> targets(JsonNode doc, String from, String type) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : doc.path("relationships")) {
      if (r.path("spdxElementId").asText().equals(from) && r.path("relationshipType").asText().equals(type)) {
        out.add(r.path("relatedSpdxElement").asText());
      }
    }
    return out;
  }
}
