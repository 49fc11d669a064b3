package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.GithubTokenService;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft copy --keyless} as far as it runs here: the identity is looked for before anything
 * is copied, the token is asked of GitHub Actions' token service (a local server speaking its
 * protocol), and the step after it (Sigstore's TUF repository, Fulcio, Rekor) cannot be reached
 * from this machine, which graft says plainly. Keyless signatures themselves are judged in
 * KeylessSignatureTest with a stand-in Sigstore.
 */
class KeylessCommandTest {
  private static final String BEARER = "ghs-keyless-Request-4242424242";

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  static Path tmp;

  private static Fixture alpine;

  @BeforeAll
  static void image() {
    alpine = AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.16", Platform.LINUX_AMD64);
  }

  @Test
  void withoutAnIdentityTokenNothingIsCopied() throws Exception {
    RealRegistry r = registry.get();
    GraftProcess.Result run = GraftProcess.run(Map.of(), "copy", "--keyless", alpine.ref(),
        r.hostPort() + "/keyless/none:1");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("--keyless needs an OIDC identity token", "id-token: write", "SIGSTORE_ID_TOKEN");
    assertThat(SignatureJudge.manifest(r, "keyless/none", "1")).as("nothing was copied").isNull();

    GraftProcess.Result half = GraftProcess.run(Map.of("ACTIONS_ID_TOKEN_REQUEST_TOKEN", BEARER), "copy",
        "--keyless", alpine.ref(), r.hostPort() + "/keyless/none:1");
    assertThat(half.exitCode()).isNotZero();
    assertThat(half.err()).contains("ACTIONS_ID_TOKEN_REQUEST_TOKEN is set but ACTIONS_ID_TOKEN_REQUEST_URL is not")
        .doesNotContain(BEARER);
    assertThat(SignatureJudge.manifest(r, "keyless/none", "1")).isNull();
  }

  @Test
  void aLayoutTargetIsRefusedBeforeWriting() {
    CliRun run = CliRun.of("copy", "--keyless", alpine.ref(), "oci:" + tmp.resolve("out") + ":1");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.error()).contains("--keyless:", "is not a registry");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  /**
   * The token is fetched from GitHub's token service; then Sigstore (TUF, Fulcio, Rekor) is out of
   * reach here. The copy signs before its tag moves (as a build does), so the tag is not there and
   * the error says how to sign it.
   */
  @Test
  void theTokenIsFetchedAndAnUnreachableSigstoreIsSaidPlainly() throws Exception {
    RealRegistry r = registry.get();
    try (GithubTokenService github = GithubTokenService.start(BEARER)) {
      GraftProcess.Result run = GraftProcess.run(Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", github.requestUrl(),
          "ACTIONS_ID_TOKEN_REQUEST_TOKEN", BEARER), "copy", "--keyless", alpine.ref(),
          r.hostPort() + "/keyless/unreachable:1");
      assertThat(github.requests()).hasSize(1);
      assertThat(github.requests().get(0).pathAndQuery()).endsWith("&audience=sigstore");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("did not copy", "cannot sign", "no tag names an unsigned copy",
          "running the same copy again signs it");
      // here: no route to Sigstore's TUF repository; with one, Fulcio would refuse the stand-in token
      assertThat(run.err()).containsAnyOf("cannot fetch Sigstore's trusted root", "keyless signing failed");
      assertThat(run.err()).doesNotContain(BEARER, github.idToken());
      assertThat(SignatureJudge.manifest(r, "keyless/unreachable", "1")).as("the tag never moved").isNull();
      String sigTag = alpine.root().digest().toString().replace(':', '-') + ".sig";
      assertThat(SignatureJudge.manifest(r, "keyless/unreachable", sigTag)).as("no signature written").isNull();
    }
  }
}
