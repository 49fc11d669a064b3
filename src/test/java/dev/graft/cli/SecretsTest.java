package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SecretScan;
import dev.graft.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials never show up in what graft prints: not in progress, --json, one-line errors or
 * --stacktrace traces, whether they came from --creds or GRAFT_PASSWORD, right or wrong, and not
 * bearer tokens either. Every run's captured output is scanned for every form of every secret.
 */
class SecretsTest {
  @RegisterExtension
  static final RegistryExtension basic = RegistryExtension.htpasswd();

  @RegisterExtension
  static final RegistryExtension token = RegistryExtension.token();

  @TempDir
  static Path tmp;

  private static Fixture alpine;
  private static final String WRONG = "wrong-Secret-4711";

  @BeforeAll
  static void image() {
    alpine = AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.16", Platform.LINUX_AMD64);
  }

  private static List<String> secrets(RealRegistry r) {
    List<String> all = new ArrayList<>(SecretScan.forms(r.username(), r.password()));
    all.addAll(SecretScan.forms(r.username(), WRONG));
    return all;
  }

  private static void assertClean(CliRun run, List<String> secrets) {
    SecretScan.assertClean("stdout", run.out(), secrets);
    SecretScan.assertClean("stderr", run.err(), secrets);
  }

  @Test
  void aRefusedPasswordIsNotEchoedInTheErrorOrTheTrace() {
    RealRegistry r = basic.get();
    for (String[] extra : List.of(new String[] {}, new String[] {"--stacktrace"}, new String[] {"--json"})) {
      List<String> args = new ArrayList<>(List.of("copy", "--creds", r.username() + ":" + WRONG));
      args.addAll(List.of(extra));
      args.addAll(List.of(alpine.ref(), r.hostPort() + "/secret/app:1"));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).isNotZero();
      assertThat(run.error()).contains("registry " + r.hostPort(), "refused the credentials from --creds");
      assertClean(run, secrets(r));
    }
  }

  @Test
  void aSuccessfulPushAndPullPrintNoSecretInTextOrJson() {
    RealRegistry r = basic.get();
    String ref = r.hostPort() + "/secret/app:ok";
    String creds = r.username() + ":" + r.password();
    List<CliRun> runs = List.of(
        CliRun.of("copy", "--creds", creds, alpine.ref(), ref),
        CliRun.of("copy", "--json", "--creds", creds, alpine.ref(), ref),
        CliRun.of("inspect", "--creds", creds, ref),
        CliRun.of("inspect", "--json", "--creds", creds, ref),
        CliRun.of("copy", "--stacktrace", "--creds", creds, ref, "oci:" + tmp.resolve("back") + ":x"));
    for (CliRun run : runs) {
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertClean(run, secrets(r));
    }
    // the pushed image holds no secret either (skopeo reads config and manifest independently)
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--config"));
    cmd.addAll(r.skopeoArgs());
    cmd.add("docker://" + ref);
    String config = Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout();
    assertThat(config).contains("rootfs");
    SecretScan.assertClean("image config", config, secrets(r));
  }

  @Test
  void passwordsFromTheEnvironmentStayOutOfOutputRightOrWrong() throws Exception {
    RealRegistry r = basic.get();
    Path dockerConfig = tmp.resolve("no-docker-config");
    for (String password : List.of(WRONG, r.password())) {
      GraftProcess.Result run = GraftProcess.run(
          Map.of("GRAFT_USERNAME", r.username(), "GRAFT_PASSWORD", password, "DOCKER_CONFIG", dockerConfig.toString(),
              "GRAFT_STACKTRACE", "1"),
          "copy", alpine.ref(), r.hostPort() + "/secret/env:1");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(password.equals(WRONG) ? 1 : 0);
      if (password.equals(WRONG)) {
        assertThat(run.err()).contains("GRAFT_");
      }
      SecretScan.assertClean("stdout", run.out(), secrets(r));
      SecretScan.assertClean("stderr", run.err(), secrets(r));
    }
  }

  @Test
  void bearerTokensStayOutOfErrorsAndTraces() throws Exception {
    RealRegistry r = token.get();
    try (FaultProxy proxy = FaultProxy.start(r.hostPort())) {
      proxy.on("PUT", "/v2/.*/manifests/.*", Fault.status(500)).always();
      CliRun run = CliRun.of("copy", "--stacktrace", "--creds", r.username() + ":" + r.password(),
          alpine.ref(), proxy.hostPort() + "/secret/token:1");
      assertThat(run.exitCode()).isNotZero();
      assertThat(run.error()).contains("HTTP 500");
      assertThat(proxy.requests()).anyMatch(FaultProxy.Request::authorization);
      List<String> secrets = new ArrayList<>(secrets(r));
      secrets.addAll(r.tokenServer().issuedTokens());
      assertThat(r.tokenServer().issuedTokens()).isNotEmpty();
      assertClean(run, secrets);
    }
  }

  /**
   * A cosign key's password and the key itself (its PEM bodies, the PKCS#8 bytes, the private
   * scalar as openssl prints it) appear nowhere: not in output, --json, a wrong-password error, a
   * --stacktrace trace, nor in anything pushed (image config, signature manifests and payloads).
   */
  @Test
  void signingKeysAndTheirPasswordsStayOutOfOutputTracesAndTheRegistry() throws Exception {
    RealRegistry r = basic.get();
    String password = "sign-Secret-0815/x";
    dev.graft.testing.CosignKeys.Pair key = dev.graft.testing.CosignKeys.make(tmp.resolve("sign-key"), password);
    List<String> secrets = new ArrayList<>(SecretScan.forms("", password));
    for (Path pem : List.of(key.encrypted(), key.plainPkcs8())) {
      java.nio.file.Files.readAllLines(pem).stream().filter(l -> !l.startsWith("-----") && l.length() >= 16)
          .forEach(secrets::add);
    }
    String scalar = Tools.runOk(Duration.ofSeconds(30), "openssl", "pkey", "-in", key.plainPkcs8().toString(), "-text",
        "-noout").stdout().replaceAll("(?s).*priv:(.*?)pub:.*", "$1").replaceAll("[\\s:]", "");
    assertThat(scalar).hasSizeGreaterThanOrEqualTo(60);
    secrets.add(scalar);
    String ref = r.hostPort() + "/secret/signed:1";
    String creds = r.username() + ":" + r.password();
    for (String pw : List.of("wrong-" + password, password)) {
      for (String extra : List.of("--json", "--stacktrace")) {
        GraftProcess.Result run = GraftProcess.run(Map.of("COSIGN_PASSWORD", pw, "GRAFT_STACKTRACE", "1"), "copy",
            extra, "--creds", creds, "--sign-key", key.encrypted().toString(), alpine.ref(), ref);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(pw.equals(password) ? 0 : 1);
        SecretScan.assertClean("stdout", run.out(), secrets);
        SecretScan.assertClean("stderr", run.err(), secrets);
      }
    }
    CliRun verify = CliRun.of("verify-signature", "--json", "--creds", creds, "--key", key.publicKey().toString(), ref);
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    SecretScan.assertClean("verify-signature", verify.out() + verify.err(), secrets);
    String digest = alpine.root().digest().toString();
    StringBuilder pushed = new StringBuilder();
    dev.graft.testing.SignatureJudge.signatures(r, "secret/signed", digest, key.publicKey(), tmp)
        .forEach(st -> pushed.append(new String(st.payload(), java.nio.charset.StandardCharsets.UTF_8)));
    pushed.append(dev.graft.testing.SignatureJudge.manifest(r, "secret/signed", digest.replace(':', '-') + ".sig"));
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--config"));
    cmd.addAll(r.skopeoArgs());
    cmd.add("docker://" + ref);
    pushed.append(Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout());
    assertThat(pushed).contains("docker-manifest-digest");
    SecretScan.assertClean("what was pushed", pushed.toString(), secrets);
  }

  /**
   * --keyless: GitHub's request token and the identity token it hands out (and a token given in
   * SIGSTORE_ID_TOKEN) appear nowhere: not in output, --json, a refused-token error, a
   * --stacktrace trace (the failure after the token, Sigstore out of reach, included), nor in
   * anything pushed.
   */
  @Test
  void keylessIdentityTokensStayOutOfOutputTracesAndTheRegistry() throws Exception {
    RealRegistry r = basic.get();
    String bearer = "ghs-Keyless-request-0815/x+y";
    String creds = r.username() + ":" + r.password();
    String ref = r.hostPort() + "/secret/keyless:1";
    try (dev.graft.testing.GithubTokenService github = dev.graft.testing.GithubTokenService.start(bearer)) {
      String jwt = github.idToken();
      String given = jwt.substring(0, jwt.lastIndexOf('.') + 1) + "R2l2ZW4tU2lnbmF0dXJlLTQ3MTEtNDcxMS00NzEx";
      List<String> secrets = new ArrayList<>(SecretScan.forms("", bearer));
      for (String t : List.of(jwt, given)) {
        secrets.add(t);
        secrets.add(t.substring(t.lastIndexOf('.') + 1)); // the signature part alone
      }
      List<Map<String, String>> envs = List.of(
          Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", github.requestUrl(), "ACTIONS_ID_TOKEN_REQUEST_TOKEN", bearer),
          Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", github.requestUrl(), "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "wrong-" + bearer),
          Map.of("SIGSTORE_ID_TOKEN", given));
      for (Map<String, String> env : envs) {
        for (String extra : List.of("--json", "--stacktrace")) {
          Map<String, String> all = new java.util.HashMap<>(env);
          all.put("GRAFT_STACKTRACE", "1");
          GraftProcess.Result run = GraftProcess.run(all, "copy", extra, "--creds", creds, "--keyless", alpine.ref(), ref);
          assertThat(run.exitCode()).as(run.err()).isEqualTo(1); // Sigstore is out of reach here, or the token refused
          SecretScan.assertClean("stdout", run.out(), secrets);
          SecretScan.assertClean("stderr", run.err(), secrets);
        }
      }
      assertThat(github.requests()).hasSize(4); // each of the four GitHub runs asked once
      // signing fails before the tag moves: what was pushed is there by digest only
      String pushedRef = r.hostPort() + "/secret/keyless@" + alpine.root().digest();
      StringBuilder pushed = new StringBuilder();
      for (String what : List.of("--config", "--raw")) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", what));
        cmd.addAll(r.skopeoArgs());
        cmd.add("docker://" + pushedRef);
        pushed.append(Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout());
      }
      assertThat(pushed).contains("rootfs");
      SecretScan.assertClean("what was pushed", pushed.toString(), secrets);
    }
  }

  @Test
  void theScanFindsASecretInEveryFormItTravelsIn() {
    String user = "ci-bot";
    String password = "pw-0123456789/+=";
    List<String> forms = SecretScan.forms(user, password);
    for (String leak : List.of("password " + password, "url?p=" + java.net.URLEncoder.encode(password,
        java.nio.charset.StandardCharsets.UTF_8), "Authorization: Basic " + java.util.Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecretScan.assertClean("sample", leak, forms))
          .isInstanceOf(AssertionError.class).hasMessageContaining("sample contains secret form");
    }
  }
}
