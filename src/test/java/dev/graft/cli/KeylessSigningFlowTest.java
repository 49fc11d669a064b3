package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.GithubTokenService;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import dev.graft.testing.StandInFulcio;
import dev.graft.testing.StandInRekor;
import dev.graft.testing.StandInSigstore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft copy --keyless} through sigstore-java's whole signing flow, offline: GitHub's token
 * service, Fulcio (gRPC over TLS) and Rekor (v1 HTTP API) are stand-ins on 127.0.0.1 speaking their
 * protocols, with every certificate and signature made by openssl, and graft is pointed at them
 * with --signing-config and --trusted-root (how a private Sigstore is used). sigstore-java checks
 * what they answer (certificate chain and SCT, the Rekor entry, its SET, inclusion proof and
 * checkpoint) as it would the public-good instance's; graft stores the result as cosign does and
 * verify-signature accepts it. The real Fulcio, Rekor and TUF are still not exercised here.
 */
class KeylessSigningFlowTest {
  private static final String BEARER = "ghs-flow-Request-31337";
  private static final String IDENTITY = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  static Path tmp;

  private static Fixture multi;

  @BeforeAll
  static void image() {
    multi = AlpineImages.layout(tmp.resolve("alpine"), "3.16", "3.16", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
  }

  @Test
  void copySignsKeylessThroughStandInsAndVerifySignatureAcceptsIt() throws Exception {
    RealRegistry r = registry.get();
    String ref = r.hostPort() + "/keyless/flow:1";
    try (GithubTokenService github = GithubTokenService.start(BEARER); StandInRekor rekor = StandInRekor.start()) {
      StandInSigstore sigstore = StandInSigstore.make(tmp.resolve("sigstore"), IDENTITY, ISSUER, rekor.url());
      rekor.useKeysIn(sigstore.dir());
      try (StandInFulcio fulcio = StandInFulcio.start(sigstore, github.idToken())) {
        Path signingConfig = sigstore.signingConfig(fulcio.url(), rekor.url());
        GraftProcess.Result run = GraftProcess.run(Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", github.requestUrl(),
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN", BEARER, "JAVA_TOOL_OPTIONS", StandInFulcio.trustStoreOptions(sigstore)),
            "copy", "--json", "--keyless", "--signing-config", signingConfig.toString(), "--trusted-root",
            sigstore.trustedRoot().toString(), multi.ref(), ref);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain(BEARER, github.idToken());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.path("signatures")).hasSize(3);
        for (JsonNode s : result.path("signatures")) {
          assertThat(s.path("added").asBoolean()).isTrue();
          assertThat(s.path("signer").asText()).startsWith("keyless: " + IDENTITY + " from issuer " + ISSUER
              + ", Rekor log index ");
        }
        assertThat(github.requests()).hasSize(1);
        assertThat(fulcio.issued()).as("one certificate for the run").hasSize(1);
        assertThat(rekor.entries()).as("one log entry per signature").isEqualTo(3);

        String index = multi.root().digest().toString();
        JsonNode layer = SignatureJudge.manifest(r, "keyless/flow", index.replace(':', '-') + ".sig").path("layers").get(0);
        JsonNode a = layer.path("annotations");
        assertThat(a.path("dev.sigstore.cosign/certificate").asText()).isEqualTo(fulcio.issued().get(0));
        assertThat(a.path("dev.sigstore.cosign/chain").asText()).as("intermediate and root, as Fulcio sent them")
            .isEqualTo(Files.readString(sigstore.dir().resolve("chain.pem")));
        JsonNode bundle = new ObjectMapper().readTree(a.path("dev.sigstore.cosign/bundle").asText());
        assertThat(bundle.path("Payload").path("logID").asText()).hasSize(64);
        assertThat(bundle.path("SignedEntryTimestamp").asText()).isNotEmpty();

        // the tokens reached GitHub and Fulcio only: not the output, --json, nor anything pushed
        List<String> secrets = new java.util.ArrayList<>(dev.graft.testing.SecretScan.forms("", BEARER));
        secrets.add(github.idToken());
        secrets.add(github.idToken().substring(github.idToken().lastIndexOf('.') + 1));
        dev.graft.testing.SecretScan.assertClean("stdout", run.out(), secrets);
        dev.graft.testing.SecretScan.assertClean("stderr", run.err(), secrets);
        StringBuilder pushed = new StringBuilder();
        for (JsonNode s : result.path("signatures")) {
          pushed.append(SignatureJudge.manifest(r, "keyless/flow", s.path("tag").asText()));
        }
        assertThat(pushed).contains("dev.sigstore.cosign/bundle");
        dev.graft.testing.SecretScan.assertClean("the signatures pushed", pushed.toString(), secrets);

        CliRun verify = CliRun.of("verify-signature", "--certificate-identity", IDENTITY, "--certificate-oidc-issuer",
            ISSUER, "--trusted-root", sigstore.trustedRoot().toString(), ref);
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out().lines().filter(l -> l.contains("1 valid signature by keyless: " + IDENTITY)))
            .hasSize(3);
      }
    }
  }

  @Test
  void aSigningConfigWithoutItsTrustedRootIsRefusedBeforeCopying() throws Exception {
    RealRegistry r = registry.get();
    CliRun run = CliRun.of("copy", "--keyless", "--signing-config", tmp.resolve("sc.json").toString(), multi.ref(),
        r.hostPort() + "/keyless/half:1");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.error()).contains("needs both --signing-config", "--trusted-root");
    CliRun noKeyless = CliRun.of("copy", "--trusted-root", tmp.resolve("tr.json").toString(), multi.ref(),
        r.hostPort() + "/keyless/half:1");
    assertThat(noKeyless.exitCode()).isNotZero();
    assertThat(noKeyless.error()).contains("--trusted-root chooses the Sigstore instance for --keyless");
    assertThat(SignatureJudge.manifest(r, "keyless/half", "1")).isNull();
  }
}
