package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every target is checked before any image is read or built (a registry must answer and accept the
 * credentials for a push; a docker-archive must not be asked for several platforms, which `graft
 * plan` refuses too), and retries are shown as they happen.
 */
class PreflightTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswd();

  @TempDir Path tmp;

  private Path app(String to, String platforms) throws Exception {
    String base = AlpineImages.layout(tmp.resolve("alpine"), "3.16").ref();
    Files.createDirectories(tmp.resolve("app/site"));
    Files.writeString(tmp.resolve("app/site/a.txt"), "a\n");
    Files.writeString(tmp.resolve("app/graft.yaml"), """
        base: %s
        platforms: [%s]
        layers:
          - { name: site, from: ./site, to: /srv }
        to: %s
        """.formatted(base, platforms, to));
    return tmp.resolve("app/graft.yaml");
  }

  private Cli build(Path yaml) {
    return Cli.run("build", "-f", yaml.toString(), "--cache-dir", tmp.resolve("cache").toString());
  }

  @Test
  void anUnreachableRegistryFailsTheBuildBeforeAnyWorkAndItsRetriesAreShown() throws Exception {
    Instant start = Instant.now();
    Cli r = build(app("127.0.0.1:1/acme/app:1", "linux/amd64"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("check target 127.0.0.1:1/acme/app")
        .containsPattern("retrying GET 127\\.0\\.0\\.1:1/v2/ \\(.*\\) in [0-9.]+ m?s \\(attempt 2/5\\)")
        .contains("(attempt 5/5)")
        .doesNotContain("read base", "select files", "write layer");
    assertThat(r.error()).contains("127.0.0.1:1");
    // in seconds (five quick tries, ~7 s measured), not after the 35-68 s of silent retries it took
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void refusedPushCredentialsFailTheBuildBeforeAnyWork() throws Exception {
    Cli r = build(app(registry.get().hostPort() + "/acme/app:1", "linux/amd64"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains(registry.get().hostPort(), "acme/app", "401");
    assertThat(r.err()).doesNotContain("read base", "write layer");
  }

  @Test
  void acceptedCredentialsPassThePreflightAndTheBuildPushes() throws Exception {
    Path yaml = app(registry.get().hostPort() + "/acme/app:1", "linux/amd64");
    Cli r = Cli.run("build", "-f", yaml.toString(), "--cache-dir", tmp.resolve("cache").toString(), "--creds",
        registry.get().username() + ":" + registry.get().password());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("check target " + registry.get().hostPort() + "/acme/app");
  }

  @Test
  void aDockerArchiveForSeveralPlatformsIsRefusedByPlanAndBuildBeforeAnyWork() throws Exception {
    Path yaml = app("docker-archive:" + tmp.resolve("out.tar"), "linux/amd64, linux/arm64");

    Cli plan = Cli.run("plan", "-f", yaml.toString());
    Cli build = build(yaml);

    for (Cli r : new Cli[] {plan, build}) {
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.err()).contains("graft.yaml:5:5", "holds one platform", "2 (linux/amd64, linux/arm64/v8)", "--platform")
          .doesNotContain("read base");
    }
    assertThat(tmp.resolve("out.tar")).doesNotExist();
  }

  /** ls, extract, verify, inspect and a build reading its base show the retries of their registry reads too. */
  @Test
  void everyCommandThatReadsARegistryShowsItsRetriesAsTheyHappen() throws Exception {
    String alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64).ref();
    String creds = registry.get().username() + ":" + registry.get().password();
    assertThat(Cli.run("copy", "--creds", creds, alpine, registry.get().hostPort() + "/retry/every:1").exitCode()).isZero();
    try (FaultProxy proxy = FaultProxy.start(registry.get().hostPort())) {
      String ref = proxy.hostPort() + "/retry/every:1";
      Files.createDirectories(tmp.resolve("app/site"));
      Files.writeString(tmp.resolve("app/site/a.txt"), "a\n");
      Files.writeString(tmp.resolve("app/graft.yaml"), """
          base: %s
          platforms: [linux/amd64]
          layers:
            - { name: site, from: ./site, to: /srv }
          """.formatted(ref));
      java.util.Map<String, String[]> commands = new java.util.LinkedHashMap<>();
      commands.put("ls", new String[] {"ls", "--creds", creds, ref, "/etc"});
      commands.put("extract", new String[] {"extract", "--creds", creds, ref, "/etc/alpine-release", "--to",
          tmp.resolve("x").toString()});
      commands.put("verify", new String[] {"verify", "--creds", creds, ref});
      commands.put("inspect", new String[] {"inspect", "--creds", creds, ref});
      commands.put("build", new String[] {"build", "--creds", creds, "-f", tmp.resolve("app/graft.yaml").toString(),
          "--to", "oci:" + tmp.resolve("out") + ":t", "--cache-dir", tmp.resolve("cache").toString()});
      for (java.util.Map.Entry<String, String[]> c : commands.entrySet()) {
        proxy.on("GET", "/v2/retry/every/manifests/1", Fault.status(503)).times(2);

        Cli r = Cli.run(c.getValue());

        assertThat(r.exitCode()).as(c.getKey() + ": " + r.err()).isZero();
        assertThat(r.err()).as(c.getKey())
            .contains("retrying GET " + proxy.hostPort() + "/v2/retry/every/manifests/1 (HTTP 503) in ")
            .contains("(attempt 2/5)", "(attempt 3/5)");
      }
    }
  }

  @Test
  void copyShowsItsRetriesAsTheyHappen() throws Exception {
    String alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64).ref();
    String creds = registry.get().username() + ":" + registry.get().password();
    assertThat(Cli.run("copy", "--creds", creds, alpine, registry.get().hostPort() + "/retry/alpine:1").exitCode()).isZero();
    try (FaultProxy proxy = FaultProxy.start(registry.get().hostPort())) {
      proxy.on("GET", "/v2/retry/alpine/manifests/1", Fault.status(503)).times(2);

      Cli r = Cli.run("copy", "--creds", creds, proxy.hostPort() + "/retry/alpine:1", "oci:" + tmp.resolve("out") + ":t");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.err()).contains("retrying GET " + proxy.hostPort() + "/v2/retry/alpine/manifests/1 (HTTP 503) in ")
          .contains("(attempt 2/5)", "(attempt 3/5)");
    }
  }
}
