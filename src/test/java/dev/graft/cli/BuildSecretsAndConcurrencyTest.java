package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.ExampleApp;
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
 * {@code graft build} pushing with real credentials: no secret in its output or in the image it
 * made (config, history, labels); and two build processes sharing one layer cache and pushing to
 * one repository at once both succeed.
 */
class BuildSecretsAndConcurrencyTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswd();

  @TempDir
  static Path tmp;

  @BeforeAll
  static void images() {
    ExampleApp.images();
  }

  private static String skopeo(RealRegistry r, String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", args[0]));
    cmd.addAll(r.skopeoArgs());
    cmd.addAll(List.of(args).subList(1, args.length));
    return Tools.runOk(Duration.ofSeconds(120), cmd.toArray(String[]::new)).stdout();
  }

  @Test
  void aPushedBuildHoldsNoSecretInItsOutputOrItsImage() {
    RealRegistry r = registry.get();
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    String ref = r.hostPort() + "/secret/build";
    List<String> secrets = SecretScan.forms(r.username(), r.password());

    CliRun run = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--creds", r.username() + ":" + r.password(), "--to", ref, "--tag", "1",
        "--platform", "linux/amd64", "--json", "--stacktrace");

    assertThat(run.exitCode()).as(run.err()).isZero();
    SecretScan.assertClean("stdout", run.out(), secrets);
    SecretScan.assertClean("stderr", run.err(), secrets);
    String config = skopeo(r, "inspect", "--config", "docker://" + ref + ":1");
    assertThat(config).contains("history", "rootfs");
    SecretScan.assertClean("image config (history, labels)", config, secrets);
    SecretScan.assertClean("manifest", skopeo(r, "inspect", "--raw", "docker://" + ref + ":1"), secrets);
  }

  @Test
  void twoBuildProcessesSharingACacheAndARepositoryBothSucceed() throws Exception {
    RealRegistry r = registry.get();
    Path cache = tmp.resolve("shared-cache");
    String ref = r.hostPort() + "/race/build";
    Map<String, String> env = Map.of("GRAFT_USERNAME", r.username(), "GRAFT_PASSWORD", r.password());
    List<GraftProcess> runs = new ArrayList<>();
    for (String tag : List.of("a", "b")) {
      Path app = ExampleApp.copyTo(tmp.resolve("race-" + tag));
      runs.add(GraftProcess.start(env, "build", "-q", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
          cache.toString(), "--to", ref, "--tag", tag, "--platform", "linux/amd64"));
    }
    for (GraftProcess p : runs) {
      GraftProcess.Result res = p.await();
      assertThat(res.exitCode()).as(res.err()).isZero();
      SecretScan.assertClean("stderr", res.err(), SecretScan.forms(r.username(), r.password()));
    }
    // same inputs (in two directories), same image: both tags name one manifest; skopeo can copy both whole
    String a = skopeo(r, "inspect", "--raw", "docker://" + ref + ":a");
    String b = skopeo(r, "inspect", "--raw", "docker://" + ref + ":b");
    assertThat(a).isEqualTo(b);
    for (String tag : List.of("a", "b")) {
      Tools.runOk(Duration.ofSeconds(120), "skopeo", "copy", "--src-tls-verify=false", "--src-creds",
          r.username() + ":" + r.password(), "docker://" + ref + ":" + tag, "oci:" + tmp.resolve("judge") + ":" + tag);
    }
  }
}
