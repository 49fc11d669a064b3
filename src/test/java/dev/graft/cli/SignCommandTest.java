package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.CosignKeys;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import dev.graft.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sign-key} and {@code verify-signature} against a real registry, with keys made by node +
 * tweetnacl and openssl (not graft), and every signature judged by skopeo + curl + openssl.
 */
class SignCommandTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswd();

  @TempDir
  static Path tmp;

  private static Fixture multi;
  private static CosignKeys.Pair sigstoreKey;
  private static CosignKeys.Pair cosignKey;

  @BeforeAll
  static void fixtures() throws Exception {
    multi = AlpineImages.layout(tmp.resolve("alpine"), "3.16", "3.16", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    sigstoreKey = CosignKeys.make(tmp.resolve("key-sigstore"), "correct horse 🐎");
    cosignKey = CosignKeys.make(tmp.resolve("key-cosign"), "", "ENCRYPTED COSIGN PRIVATE KEY");
  }

  private static String creds(RealRegistry r) {
    return r.username() + ":" + r.password();
  }

  @Test
  void signsTheIndexAndEveryPlatformManifestWithAnEncryptedCosignKey() throws Exception {
    RealRegistry r = registry.get();
    String repo = "signed/app";
    GraftProcess.Result run = GraftProcess.run(Map.of("COSIGN_PASSWORD", sigstoreKey.password()),
        "copy", "--json", "--creds", creds(r), "--sign-key", sigstoreKey.encrypted().toString(), multi.ref(),
        r.hostPort() + "/" + repo + ":1.0");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
    String index = result.path("digest").asText();
    assertThat(result.path("signatures")).hasSize(3);

    List<String> signed = new java.util.ArrayList<>(List.of(index));
    result.path("manifests").forEach(m -> signed.add(m.path("digest").asText()));
    for (String digest : signed) {
      List<SignatureJudge.Stored> sigs = SignatureJudge.signatures(r, repo, digest, sigstoreKey.publicKey(), tmp);
      assertThat(sigs).as("signatures of " + digest).hasSize(1);
      assertThat(sigs.get(0).opensslVerified()).as(sigs.get(0).opensslOutput()).isTrue();
      JsonNode payload = sigs.get(0).payloadJson();
      assertThat(payload.at("/critical/image/docker-manifest-digest").asText()).isEqualTo(digest);
      assertThat(payload.at("/critical/identity/docker-reference").asText()).isEqualTo(r.hostPort() + "/" + repo);
      assertThat(payload.at("/critical/type").asText()).isEqualTo("cosign container image signature");
    }
    // the image itself is what was copied: signing changes no digest
    assertThat(index).isEqualTo(multi.root().digest().toString());

    CliRun verify = CliRun.of("verify-signature", "--creds", creds(r), "--key", sigstoreKey.publicKey().toString(),
        r.hostPort() + "/" + repo + ":1.0");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.out()).contains(index, "1 valid signature", "linux/arm64");
  }

  @Test
  void signingTheSameDigestAgainAddsNoDuplicate() throws Exception {
    RealRegistry r = registry.get();
    String repo = "signed/twice";
    String sigTag = multi.root().digest().toString().replace(':', '-') + ".sig";
    Map<String, String> env = Map.of("GRAFT_SIGN_PASSWORD", sigstoreKey.password());
    String[] args = {"copy", "--creds", creds(r), "--sign-key", sigstoreKey.encrypted().toString(), multi.ref(),
        r.hostPort() + "/" + repo + ":1"};
    assertThat(GraftProcess.run(env, args).exitCode()).isZero();
    JsonNode first = SignatureJudge.manifest(r, repo, sigTag);
    GraftProcess.Result again = GraftProcess.run(env, args);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("already signed");
    JsonNode second = SignatureJudge.manifest(r, repo, sigTag);
    assertThat(second).isEqualTo(first);
    assertThat(second.path("layers")).hasSize(1);

    // another key adds its signature beside the first; both verify with their own key
    GraftProcess.Result other = GraftProcess.run(Map.of("COSIGN_PASSWORD", ""), "copy", "--creds", creds(r),
        "--sign-key", cosignKey.encrypted().toString(), multi.ref(), r.hostPort() + "/" + repo + ":1");
    assertThat(other.exitCode()).as(other.err()).isZero();
    List<SignatureJudge.Stored> sigs = SignatureJudge.signatures(r, repo, multi.root().digest().toString(),
        cosignKey.publicKey(), tmp);
    assertThat(sigs).hasSize(2);
    assertThat(sigs.stream().filter(SignatureJudge.Stored::opensslVerified)).hasSize(1);
  }

  @Test
  void signsWithPlainPkcs8AndOpensslEcKeys() throws Exception {
    RealRegistry r = registry.get();
    Path sec1 = tmp.resolve("openssl-ec.pem");
    Tools.runOk(Duration.ofSeconds(30), "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
        sec1.toString());
    Path sec1Pub = tmp.resolve("openssl-ec.pub");
    Tools.runOk(Duration.ofSeconds(30), "openssl", "ec", "-in", sec1.toString(), "-pubout", "-out", sec1Pub.toString());
    for (Path[] key : List.of(new Path[] {sigstoreKey.plainPkcs8(), sigstoreKey.publicKey()}, new Path[] {sec1, sec1Pub})) {
      String ref = r.hostPort() + "/signed/plain:" + key[0].getFileName().toString().replace('.', '-');
      CliRun run = CliRun.of("copy", "--creds", creds(r), "--sign-key", key[0].toString(),
          "oci:" + multi.dir() + ":3.16", ref, "--platform", "linux/amd64");
      assertThat(run.exitCode()).as(run.err()).isZero();
      String digest = multi.manifests().get(Platform.LINUX_AMD64).digest().toString();
      List<SignatureJudge.Stored> sigs = SignatureJudge.signatures(r, "signed/plain", digest, key[1], tmp);
      assertThat(sigs).isNotEmpty();
      assertThat(sigs).anyMatch(SignatureJudge.Stored::opensslVerified);
      CliRun verify = CliRun.of("verify-signature", "--creds", creds(r), "--key", key[1].toString(), ref);
      assertThat(verify.exitCode()).as(verify.err()).isZero();
    }
  }

  @Test
  void verifySignatureFailsForAnotherKeyOrAnUnsignedImage() throws Exception {
    RealRegistry r = registry.get();
    String ref = r.hostPort() + "/signed/other:1";
    assertThat(CliRun.of("copy", "--creds", creds(r), multi.ref(), ref).exitCode()).isZero();
    CliRun unsigned = CliRun.of("verify-signature", "--creds", creds(r), "--key", sigstoreKey.publicKey().toString(), ref);
    assertThat(unsigned.exitCode()).isEqualTo(1);
    assertThat(unsigned.error()).contains("has no signature by key " + sigstoreKey.publicKey(), "sha256-");

    assertThat(CliRun.of("copy", "--creds", creds(r), "--sign-key", sigstoreKey.plainPkcs8().toString(), multi.ref(), ref)
        .exitCode()).isZero();
    CliRun wrongKey = CliRun.of("verify-signature", "--creds", creds(r), "--key", cosignKey.publicKey().toString(), ref);
    assertThat(wrongKey.exitCode()).isEqualTo(1);
    assertThat(wrongKey.error()).contains("1 signature refused", "not made by key " + cosignKey.publicKey());
    CliRun right = CliRun.of("verify-signature", "--json", "--creds", creds(r), "--key",
        sigstoreKey.publicKey().toString(), ref);
    assertThat(right.exitCode()).as(right.err()).isZero();
    assertThat(right.out()).contains("\"verified\":true");
  }

  @Test
  void aWrongOrMissingPasswordChangesNothingInTheRegistry() throws Exception {
    RealRegistry r = registry.get();
    String ref = r.hostPort() + "/signed/refused:1";
    GraftProcess.Result wrong = GraftProcess.run(Map.of("COSIGN_PASSWORD", "not it"), "copy", "--creds", creds(r),
        "--sign-key", sigstoreKey.encrypted().toString(), multi.ref(), ref);
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.err()).contains("cannot decrypt the key in " + sigstoreKey.encrypted(), "wrong password",
        "COSIGN_PASSWORD");
    GraftProcess.Result missing = GraftProcess.run(Map.of(), "copy", "--creds", creds(r),
        "--sign-key", sigstoreKey.encrypted().toString(), multi.ref(), ref);
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("is encrypted: set COSIGN_PASSWORD (or GRAFT_SIGN_PASSWORD)");
    assertThat(SignatureJudge.manifest(r, "signed/refused", "1")).as("nothing was pushed").isNull();
  }

  @Test
  void refusesAPublicKeyOrANonRegistryDestinationBeforeWriting() throws Exception {
    CliRun pub = CliRun.of("copy", "--sign-key", sigstoreKey.publicKey().toString(), multi.ref(),
        registry.get().hostPort() + "/signed/pub:1");
    assertThat(pub.exitCode()).isNotZero();
    assertThat(pub.error()).contains("holds no PEM private key", "not cosign.pub");
    Path out = tmp.resolve("not-written");
    CliRun layout = CliRun.of("copy", "--sign-key", sigstoreKey.plainPkcs8().toString(), multi.ref(), "oci:" + out);
    assertThat(layout.exitCode()).isNotZero();
    assertThat(layout.error()).contains("is not a registry", "graft copy");
    assertThat(out).doesNotExist();
  }
}
