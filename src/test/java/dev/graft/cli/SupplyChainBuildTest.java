package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.testing.CosignKeys;
import dev.graft.testing.CycloneDxSchema;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import dev.graft.testing.SpdxJudge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README example built with --sign-key, --sbom and --provenance into a real registry
 * (CNCF Distribution 2.8: no referrers API), judged from outside: skopeo and curl read what was
 * pushed, openssl checks every signature over the stored payload, networknt checks the SBOM
 * against the official CycloneDX 1.6 schema.
 */
class SupplyChainBuildTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static CosignKeys.Pair key;
  private static Path app;

  @BeforeAll
  static void fixtures() throws Exception {
    key = CosignKeys.make(tmp.resolve("key"), "build-key-pw");
    app = ExampleApp.copyTo(tmp.resolve("app"));
  }

  private static JsonNode build(Map<String, String> env, String to, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build", "--json", "-q", "-f", app.resolve("graft.yaml").toString(),
        "--to", to));
    args.addAll(List.of(extra));
    if (!args.contains("--cache-dir")) {
      args.addAll(List.of("--cache-dir", tmp.resolve("cache").toString()));
    }
    GraftProcess.Result run = GraftProcess.run(env, args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /**
   * --keyless on build: without an identity the build is refused before anything is built; with
   * one (GitHub's token protocol, served locally) the token is fetched after the images are
   * pushed, and when Sigstore is out of reach (as here) the build fails before any tag moves.
   */
  @Test
  void aKeylessBuildIsRefusedWithoutATokenAndMovesNoTagWhenSigstoreIsOutOfReach() throws Exception {
    RealRegistry r = registry.get();
    String[] args = {"build", "-q", "-f", app.resolve("graft.yaml").toString(), "--to",
        r.hostPort() + "/supply/keyless:1.0", "--cache-dir", tmp.resolve("cache").toString(), "--keyless"};
    GraftProcess.Result none = GraftProcess.run(Map.of(), args);
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.err()).contains("--keyless needs an OIDC identity token");
    assertThat(SignatureJudge.manifest(r, "supply/keyless", "1.0")).isNull();
    String bearer = "ghs-build-Request-77";
    try (dev.graft.testing.GithubTokenService github = dev.graft.testing.GithubTokenService.start(bearer)) {
      GraftProcess.Result run = GraftProcess.run(Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", github.requestUrl(),
          "ACTIONS_ID_TOKEN_REQUEST_TOKEN", bearer), args);
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(github.requests()).as("the token is asked for when signing").hasSize(1);
      assertThat(run.err()).containsAnyOf("cannot fetch Sigstore's trusted root", "keyless signing failed");
      assertThat(run.err()).doesNotContain(bearer, github.idToken());
      assertThat(SignatureJudge.manifest(r, "supply/keyless", "1.0")).as("no tag moved").isNull();
    }
  }

  @Test
  void theExampleIsSignedAndCarriesItsSbomAndProvenanceFoundThroughTheFallbackTag() throws Exception {
    RealRegistry r = registry.get();
    String repo = "supply/example";
    JsonNode result = build(Map.of("COSIGN_PASSWORD", key.password()), r.hostPort() + "/" + repo + ":1.0",
        "--sign-key", key.encrypted().toString(), "--sbom", "--sbom-format", "cyclonedx,spdx", "--provenance");
    assertThat(result.path("attachments").findValuesAsText("mediaType")).contains("application/spdx+json",
        "application/vnd.cyclonedx+json");
    String index = result.path("indexDigest").asText();
    JsonNode plain = build(Map.of(), r.hostPort() + "/supply/unsigned:1.0");
    assertThat(plain.path("indexDigest").asText()).as("signing and attaching change no image digest").isEqualTo(index);

    List<String> signedDigests = new ArrayList<>(List.of(index));
    result.path("platforms").forEach(p -> signedDigests.add(p.path("digest").asText()));
    for (JsonNode p : result.path("platforms")) {
      String manifest = p.path("digest").asText();
      JsonNode referrers = SignatureJudge.manifest(r, repo, manifest.replace(':', '-'));
      assertThat(referrers).as("fallback tag of " + manifest).isNotNull();
      assertThat(referrers.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
      JsonNode sbomEntry = entry(referrers, "application/vnd.cyclonedx+json");
      JsonNode provEntry = entry(referrers, "application/vnd.in-toto+json");
      signedDigests.add(sbomEntry.path("digest").asText());
      signedDigests.add(provEntry.path("digest").asText());

      JsonNode sbom = JSON.readTree(document(r, repo, sbomEntry.path("digest").asText(), manifest));
      assertThat(CycloneDxSchema.validate(sbom)).as("CycloneDX 1.6 schema").isEmpty();
      assertThat(sbom.at("/metadata/component/version").asText()).isEqualTo(manifest);
      JsonNode bcrypt = find(sbom, "bcrypt");
      assertThat(bcrypt.path("version").asText()).isEqualTo("6.0.0");
      assertThat(bcrypt.path("purl").asText()).isEqualTo("pkg:npm/bcrypt@6.0.0");
      assertThat(property(bcrypt, "npm:integrity")).startsWith("sha512-cU8v/EGSrnH+HnxV2z0J7/blxH8gq7Xh2JFT6Aroax7UohdmiJJlxApMxtKfuI7z68NvvVcmR78k2LbT6efhRg==");
      assertThat(bcrypt.path("hashes").get(0).path("alg").asText()).isEqualTo("SHA-512");
      JsonNode node = find(sbom, "node");
      assertThat(node.path("version").asText()).isEqualTo("20.20.2");
      for (String lib : List.of("libstdc++.so.6", "libgcc_s.so.1", "libm.so.6", "libc.so.6")) {
        JsonNode c = find(sbom, lib);
        assertThat(property(c, "graft:needed-by")).as(lib).contains("/usr/local/bin/node");
        String ref = c.path("bom-ref").asText();
        assertThat(StreamSupport.stream(sbom.path("dependencies").spliterator(), false)
            .filter(d -> d.path("ref").asText().equals("file:/usr/local/bin/node"))
            .flatMap(d -> StreamSupport.stream(d.path("dependsOn").spliterator(), false))
            .map(JsonNode::asText)).as("node depends on " + lib).contains(ref);
      }
      assertThat(find(sbom, "musl").path("purl").asText()).startsWith("pkg:apk/alpine/musl@");

      JsonNode statement = JSON.readTree(document(r, repo, provEntry.path("digest").asText(), manifest));
      assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
      assertThat(statement.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
      assertThat("sha256:" + statement.at("/subject/0/digest/sha256").asText()).isEqualTo(manifest);
      assertThat(statement.at("/predicate/buildDefinition/externalParameters/config/graft.yaml/sha256").asText())
          .isEqualTo(dev.graft.oci.Digest.sha256(Files.readAllBytes(app.resolve("graft.yaml"))).hex());
      assertThat(statement.at("/predicate/buildDefinition/resolvedDependencies").toString()).contains("\"base\"",
          "\"builder\"", "layer backend");

      // graft reads back the same bytes through the same fallback tag
      CliRun attached = CliRun.of("sbom", "--attached", "--platform", p.path("platform").asText(),
          r.hostPort() + "/" + repo + ":1.0");
      assertThat(attached.exitCode()).as(attached.err()).isZero();
      assertThat(JSON.readTree(attached.out())).isEqualTo(sbom);
      signedDigests.add(checkSpdx(r, repo, referrers, manifest, p.path("platform").asText()));
    }
    for (String digest : signedDigests) {
      List<SignatureJudge.Stored> sigs = SignatureJudge.signatures(r, repo, digest, key.publicKey(), tmp);
      assertThat(sigs).as("signatures of " + digest).hasSize(1);
      assertThat(sigs.get(0).opensslVerified()).as(sigs.get(0).opensslOutput()).isTrue();
      assertThat(sigs.get(0).payloadJson().at("/critical/image/docker-manifest-digest").asText()).isEqualTo(digest);
    }
  }

  @Test
  void anOciTargetGetsReproducibleSbomFilesBesideIt() throws Exception {
    List<byte[]> sboms = new ArrayList<>();
    for (String run : List.of("a", "b")) {
      Path out = tmp.resolve(run).resolve("example.tar");
      Files.createDirectories(out.getParent());
      build(Map.of(), "oci-archive:" + out, "--sbom", "--sbom-format", "cyclonedx,spdx", "--provenance",
          "--cache-dir", tmp.resolve("cache-" + run).toString());
      Path sbom = out.resolveSibling("example.tar.linux-amd64.cdx.json");
      try (var files = Files.list(out.getParent())) {
        assertThat(files.map(f -> f.getFileName().toString())).contains("example.tar.linux-arm64-v8.cdx.json",
            "example.tar.linux-arm64-v8.provenance.json");
      }
      assertThat(out.resolveSibling("example.tar.linux-amd64.provenance.json")).exists();
      assertThat(CycloneDxSchema.validate(JSON.readTree(sbom.toFile()))).isEmpty();
      sboms.add(Files.readAllBytes(sbom));
      byte[] spdx = Files.readAllBytes(out.resolveSibling("example.tar.linux-arm64-v8.spdx.json"));
      assertThat(SpdxJudge.problems(spdx, tmp)).isEmpty();
      sboms.add(spdx);
    }
    assertThat(sboms.get(2)).as("the same build writes the same SBOM bytes").isEqualTo(sboms.get(0));
    assertThat(sboms.get(3)).as("and the same SPDX bytes").isEqualTo(sboms.get(1));
    assertThat(new String(sboms.get(0), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(tmp.toString());
  }

  /**
   * The SPDX 2.3 document attached beside the CycloneDX one (--sbom-format cyclonedx,spdx), found
   * through the same fallback tag: it passes the SPDX project's verifier and states the same facts:
   * bcrypt with version, purl and integrity, node, and each library the closure added with a
   * DYNAMIC_LINK from the binary that loads it. Returns the referrer's digest.
   */
  private static String checkSpdx(RealRegistry r, String repo, JsonNode referrers, String manifest, String platform)
      throws Exception {
    String digest = entry(referrers, "application/spdx+json").path("digest").asText();
    byte[] bytes = document(r, repo, digest, manifest);
    assertThat(SpdxJudge.problems(bytes, tmp)).as("SPDX verifier").isEmpty();
    JsonNode spdx = JSON.readTree(bytes);
    assertThat(spdx.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(spdxPackage(spdx, "SPDXRef-Image").path("versionInfo").asText()).isEqualTo(manifest);
    assertThat(relations(spdx, "SPDXRef-DOCUMENT", "DESCRIBES")).containsExactly("SPDXRef-Image");
    JsonNode bcrypt = named(spdx, "bcrypt");
    assertThat(bcrypt.path("versionInfo").asText()).isEqualTo("6.0.0");
    assertThat(bcrypt.at("/externalRefs/0/referenceLocator").asText()).isEqualTo("pkg:npm/bcrypt@6.0.0");
    assertThat(bcrypt.at("/checksums/0/algorithm").asText()).isEqualTo("SHA512");
    assertThat(bcrypt.at("/checksums/0/checksumValue").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
        java.util.Base64.getDecoder().decode("cU8v/EGSrnH+HnxV2z0J7/blxH8gq7Xh2JFT6Aroax7UohdmiJJlxApMxtKfuI7z68NvvVcmR78k2LbT6efhRg==")));
    JsonNode node = named(spdx, "node");
    assertThat(node.path("versionInfo").asText()).isEqualTo("20.20.2");
    assertThat(node.path("packageFileName").asText()).isEqualTo("/usr/local/bin/node");
    List<String> loads = relations(spdx, node.path("SPDXID").asText(), "DYNAMIC_LINK");
    for (String lib : List.of("libstdc++.so.6", "libgcc_s.so.1", "libm.so.6", "libc.so.6")) {
      JsonNode l = named(spdx, lib);
      assertThat(l.path("comment").asText()).as(lib).contains("needed by", "/usr/local/bin/node");
      assertThat(loads).as("node loads " + lib).contains(l.path("SPDXID").asText());
    }
    JsonNode musl = named(spdx, "musl");
    assertThat(musl.at("/externalRefs/0/referenceLocator").asText()).startsWith("pkg:apk/alpine/musl@");
    assertThat(relations(spdx, "SPDXRef-BaseImage", "CONTAINS")).contains(musl.path("SPDXID").asText());

    CliRun attached = CliRun.of("sbom", "--attached", "--format", "spdx", "--platform", platform,
        r.hostPort() + "/" + repo + ":1.0");
    assertThat(attached.exitCode()).as(attached.err()).isZero();
    assertThat(JSON.readTree(attached.out())).isEqualTo(spdx);
    return digest;
  }

  private static JsonNode spdxPackage(JsonNode spdx, String id) {
    for (JsonNode p : spdx.path("packages")) {
      if (id.equals(p.path("SPDXID").asText())) {
        return p;
      }
    }
    throw new AssertionError("no package " + id);
  }

  private static JsonNode named(JsonNode spdx, String name) {
    for (JsonNode p : spdx.path("packages")) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new AssertionError("no package named " + name);
  }

  /** The ids {@code from} has a {@code type} relationship to. */
  private static List<String> relations(JsonNode spdx, String from, String type) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : spdx.path("relationships")) {
      if (from.equals(r.path("spdxElementId").asText()) && type.equals(r.path("relationshipType").asText())) {
        out.add(r.path("relatedSpdxElement").asText());
      }
    }
    return out;
  }

  private static JsonNode entry(JsonNode index, String artifactType) {
    for (JsonNode m : index.path("manifests")) {
      if (artifactType.equals(m.path("artifactType").asText())) {
        return m;
      }
    }
    throw new AssertionError("no " + artifactType + " referrer in " + index);
  }

  /** A referrer's document: its manifest by skopeo (checked to name the subject), its layer by curl. */
  private static byte[] document(RealRegistry r, String repo, String referrer, String subject) throws Exception {
    JsonNode m = SignatureJudge.manifest(r, repo + "@" + referrer, null);
    assertThat(m.at("/subject/digest").asText()).isEqualTo(subject);
    return SignatureJudge.blob(r, repo, m.at("/layers/0/digest").asText(), tmp);
  }

  private static JsonNode find(JsonNode sbom, String name) {
    List<JsonNode> all = new ArrayList<>();
    collect(sbom.path("components"), all);
    return all.stream().filter(c -> name.equals(c.path("name").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no component " + name));
  }

  private static void collect(JsonNode components, List<JsonNode> out) {
    for (JsonNode c : components) {
      out.add(c);
      collect(c.path("components"), out);
    }
  }

  private static String property(JsonNode component, String name) {
    for (JsonNode p : component.path("properties")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("value").asText();
      }
    }
    throw new AssertionError("no property " + name + " on " + component.path("name"));
  }
}
