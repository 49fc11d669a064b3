package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.attach.ImageSigning;
import dev.graft.attach.RegistryArtifactStore;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import dev.graft.registry.RegistryOptions;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import dev.graft.testing.StandInSigstore;
import dev.graft.testing.StandInSigstore.Spoil;
import dev.graft.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless signatures, offline: Fulcio and Rekor cannot be reached from here, so a stand-in made by
 * openssl (a test CA for Fulcio with an SCT from a test CT log, a test Rekor key, their
 * trusted_root.json) signs, graft's own code stores the signature in a real registry, openssl
 * judges what was stored, and {@code graft verify-signature --certificate-identity
 * --certificate-oidc-issuer --trusted-root} verifies it, or refuses it for the right reason.
 */
class KeylessSignatureTest {
  private static final String IDENTITY = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  static Path tmp;

  private static Fixture multi;
  private static StandInSigstore sigstore;
  private static StandInSigstore rogue;

  @BeforeAll
  static void fixtures() throws Exception {
    multi = AlpineImages.layout(tmp.resolve("alpine"), "3.16", "3.16", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    sigstore = StandInSigstore.make(tmp.resolve("sigstore"), IDENTITY, ISSUER);
    rogue = StandInSigstore.make(tmp.resolve("rogue"), IDENTITY, ISSUER); // same names, a CA no one trusts
  }

  /** Copies the two-platform image to {@code repo:1} and signs it there with {@code signer}, through graft's store. */
  private static ImageRef.Registry signed(String repo, dev.graft.sign.PayloadSigner signer) throws Exception {
    RealRegistry r = registry.get();
    String ref = r.hostPort() + "/" + repo + ":1";
    CliRun copy = CliRun.of("copy", multi.ref(), ref);
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    ImageRef.Registry target = (ImageRef.Registry) ImageRef.parse(ref);
    try (RegistryArtifactStore store = new RegistryArtifactStore(target, RegistryOptions.defaults())) {
      assertThat(ImageSigning.sign(store, multi.root().digest(), signer)).hasSize(3);
    }
    return target;
  }

  private static CliRun verify(ImageRef.Registry ref, String identity, String issuer, Path trustedRoot, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("verify-signature", "--certificate-identity", identity,
        "--certificate-oidc-issuer", issuer, "--trusted-root", trustedRoot.toString()));
    args.addAll(List.of(extra));
    args.add(ref.toString());
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void storesCertificateChainAndRekorBundleInCosignsAnnotationsWhereOpensslVerifiesThem() throws Exception {
    ImageRef.Registry ref = signed("keyless/stored", sigstore.signer(Spoil.NONE, 4711));
    RealRegistry r = registry.get();
    String index = multi.root().digest().toString();
    JsonNode sig = SignatureJudge.manifest(r, "keyless/stored", index.replace(':', '-') + ".sig");
    assertThat(sig).isNotNull();
    assertThat(sig.path("layers")).hasSize(1);
    JsonNode layer = sig.path("layers").get(0);
    assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    JsonNode a = layer.path("annotations");
    assertThat(a.path("dev.sigstore.cosign/certificate").asText())
        .isEqualTo(Files.readString(sigstore.dir().resolve("leaf.pem")));
    assertThat(a.path("dev.sigstore.cosign/chain").asText())
        .isEqualTo(Files.readString(sigstore.dir().resolve("chain.pem")));
    JsonNode bundle = new ObjectMapper().readTree(a.path("dev.sigstore.cosign/bundle").asText());
    assertThat(bundle.path("Payload").path("logIndex").asLong()).isEqualTo(4711);
    assertThat(bundle.path("SignedEntryTimestamp").asText()).isNotEmpty();

    // openssl, from what the registry holds: the chain, the signature over the payload, Rekor's SET
    Path work = Files.createTempDirectory(tmp, "judge");
    byte[] payload = SignatureJudge.blob(r, "keyless/stored", layer.path("digest").asText(), work);
    assertThat(new ObjectMapper().readTree(payload).path("critical").path("image").path("docker-manifest-digest")
        .asText()).isEqualTo(index);
    Path cert = write(work, "cert.pem", a.path("dev.sigstore.cosign/certificate").asText());
    Path chain = write(work, "chain.pem", a.path("dev.sigstore.cosign/chain").asText());
    assertThat(Tools.runOk(Duration.ofSeconds(30), "openssl", "verify", "-CAfile", sigstore.dir().resolve("root.pem")
        .toString(), "-untrusted", chain.toString(), cert.toString()).stdout()).contains("OK");
    Path pub = work.resolve("cert.pub");
    Tools.runOk(Duration.ofSeconds(30), "openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey", "-out",
        pub.toString());
    Path payloadFile = Files.write(work.resolve("payload.json"), payload);
    Path der = Files.write(work.resolve("sig.der"), Base64.getDecoder().decode(
        a.path("dev.cosignproject.cosign/signature").asText()));
    assertThat(Tools.runOk(Duration.ofSeconds(30), "openssl", "dgst", "-sha256", "-verify", pub.toString(),
        "-signature", der.toString(), payloadFile.toString()).stdout()).contains("Verified OK");
    JsonNode p = bundle.path("Payload");
    Path entry = write(work, "entry.json", "{\"body\":\"" + p.path("body").asText() + "\",\"integratedTime\":"
        + p.path("integratedTime").asLong() + ",\"logID\":\"" + p.path("logID").asText() + "\",\"logIndex\":"
        + p.path("logIndex").asLong() + "}");
    Path set = Files.write(work.resolve("set.der"), Base64.getDecoder().decode(bundle.path("SignedEntryTimestamp").asText()));
    assertThat(Tools.runOk(Duration.ofSeconds(30), "openssl", "dgst", "-sha256", "-verify", sigstore.dir()
        .resolve("rekor.pub").toString(), "-signature", set.toString(), entry.toString()).stdout()).contains("Verified OK");
    // the logged entry is the hashedrekord of exactly this payload, signature and certificate
    JsonNode body = new ObjectMapper().readTree(Base64.getDecoder().decode(p.path("body").asText()));
    assertThat(body.path("kind").asText()).isEqualTo("hashedrekord");
    assertThat(body.path("spec").path("data").path("hash").path("value").asText())
        .isEqualTo(Digest.sha256(payload).hex());
    assertThat(body.path("spec").path("signature").path("content").asText())
        .isEqualTo(a.path("dev.cosignproject.cosign/signature").asText());
    assertThat(ref.toString()).endsWith("keyless/stored:1");
  }

  @Test
  void verifySignatureAcceptsTheIdentityAndIssuerUnderTheTrustedRoot() throws Exception {
    ImageRef.Registry ref = signed("keyless/good", sigstore.signer(Spoil.NONE, 815));
    CliRun run = verify(ref, IDENTITY, ISSUER, sigstore.trustedRoot());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains(multi.root().digest().toString() + ": 1 valid signature by keyless: " + IDENTITY
        + " from issuer " + ISSUER + ", Rekor log index 815");
    assertThat(run.out()).contains("linux/amd64", "linux/arm64");
    assertThat(run.out().lines().filter(l -> l.contains("1 valid signature"))).hasSize(3);

    CliRun json = verify(ref, IDENTITY, ISSUER, sigstore.trustedRoot(), "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(json.out());
    assertThat(root.path("verified").asBoolean()).isTrue();
    assertThat(root.path("manifests").get(0).path("signatures").get(0).path("signer").asText()).startsWith("keyless: "
        + IDENTITY);
  }

  @Test
  void refusesAnotherIdentityOrIssuerNamingWhatTheCertificateSays() throws Exception {
    ImageRef.Registry ref = signed("keyless/who", sigstore.signer(Spoil.NONE, 1));
    CliRun otherIdentity = verify(ref, "https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main",
        ISSUER, sigstore.trustedRoot());
    assertThat(otherIdentity.exitCode()).isEqualTo(1);
    assertThat(otherIdentity.error()).contains("has no signature by certificate identity https://github.com/evil/app",
        "certificate is for " + IDENTITY + " from issuer " + ISSUER);
    CliRun otherIssuer = verify(ref, IDENTITY, "https://accounts.google.com", sigstore.trustedRoot());
    assertThat(otherIssuer.exitCode()).isEqualTo(1);
    assertThat(otherIssuer.error()).contains("is not from issuer https://accounts.google.com");
  }

  @Test
  void refusesACertificateFromAnUntrustedCa() throws Exception {
    ImageRef.Registry ref = signed("keyless/rogue", rogue.signer(Spoil.NONE, 2));
    CliRun run = verify(ref, IDENTITY, ISSUER, sigstore.trustedRoot());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).contains("does not chain to a Fulcio CA of the trusted root");
    // and under the rogue's own root, the same signature is good: the refusal was the CA's
    assertThat(verify(ref, IDENTITY, ISSUER, rogue.trustedRoot()).exitCode()).isZero();
  }

  @Test
  void refusesABundleRekorDidNotSignOrThatLogsAnotherPayloadOrNone() throws Exception {
    CliRun foreign = verify(signed("keyless/set", sigstore.signer(Spoil.FOREIGN_SET, 3)), IDENTITY, ISSUER,
        sigstore.trustedRoot());
    assertThat(foreign.exitCode()).isEqualTo(1);
    assertThat(foreign.error()).contains("signed entry timestamp does not verify");
    CliRun other = verify(signed("keyless/entry", sigstore.signer(Spoil.OTHER_PAYLOAD_LOGGED, 4)), IDENTITY, ISSUER,
        sigstore.trustedRoot());
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.error()).contains("Rekor entry 4 logs another payload");
    CliRun none = verify(signed("keyless/unlogged", sigstore.signer(Spoil.NO_BUNDLE, 5)), IDENTITY, ISSUER,
        sigstore.trustedRoot());
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.error()).contains("without a Rekor bundle");
  }

  @Test
  void verifySignatureSaysWhatToTrustWhenFlagsAreMissingOrMixed() throws Exception {
    String ref = registry.get().hostPort() + "/keyless/flags:1";
    CliRun nothing = CliRun.of("verify-signature", ref);
    assertThat(nothing.exitCode()).isNotZero();
    assertThat(nothing.error()).contains("--key cosign.pub", "--certificate-identity ID --certificate-oidc-issuer URL");
    CliRun half = CliRun.of("verify-signature", "--certificate-identity", IDENTITY, ref);
    assertThat(half.exitCode()).isNotZero();
    assertThat(half.error()).contains("needs both --certificate-identity and --certificate-oidc-issuer",
        "https://token.actions.githubusercontent.com");
    Path pub = sigstore.dir().resolve("leaf.pub");
    CliRun mixed = CliRun.of("verify-signature", "--key", pub.toString(), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", ISSUER, ref);
    assertThat(mixed.exitCode()).isNotZero();
    assertThat(mixed.error()).contains("not both");
    CliRun badRoot = CliRun.of("verify-signature", "--certificate-identity", IDENTITY, "--certificate-oidc-issuer",
        ISSUER, "--trusted-root", sigstore.dir().resolve("leaf.pem").toString(), ref);
    assertThat(badRoot.exitCode()).isNotZero();
    assertThat(badRoot.error()).contains("cannot read trusted root", "leaf.pem", "trusted_root.json");
  }

  @Test
  void aKeySignatureIsNotTakenForAKeylessOne() throws Exception {
    // the leaf's key signs as a plain key would: the same signature, but no certificate or bundle
    Path key = sigstore.dir().resolve("leaf.key");
    RealRegistry r = registry.get();
    String ref = r.hostPort() + "/keyless/keyed:1";
    CliRun copy = CliRun.of("copy", "--sign-key", key.toString(), multi.ref(), ref);
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    CliRun run = verify((ImageRef.Registry) ImageRef.parse(ref), IDENTITY, ISSUER, sigstore.trustedRoot());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).contains("made with a key (no certificate)");
  }

  private static Path write(Path dir, String name, String text) throws java.io.IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }
}
