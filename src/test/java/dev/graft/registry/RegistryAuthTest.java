package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.graft.oci.ImageRef;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth (htpasswd, bcrypt) over TLS with a self-signed certificate, against a real registry. */
class RegistryAuthTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswdTls();

  private RealRegistry r() {
    return registry.get();
  }

  private ImageRef.Registry ref(String repoAndTag) {
    return (ImageRef.Registry) ImageRef.parse(r().hostPort() + "/" + repoAndTag);
  }

  private RegistryOptions trusting() {
    return RegistryOptions.defaults().withCaCertificate(r().caCertificate());
  }

  @Test
  void pushesAndPullsWithCredentialsOverVerifiedTls() throws Exception {
    TestImage image = TestImage.random(2, 4096, 31);
    RegistryOptions opts = trusting().withCredentials(new Credentials(r().username(), r().password()));
    image.pushTo(new RegistrySink(ref("auth/app:1"), opts), null);

    try (RegistrySource source = new RegistrySource(ref("auth/app:1"), opts)) {
      assertThat(source.root()).isEqualTo(image.manifest());
    }
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(r().skopeoArgs());
    cmd.add("docker://" + ref("auth/app:1"));
    Tools.require("skopeo");
    assertThat(Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout())
        .isEqualTo(new String(image.manifest().bytes(), StandardCharsets.UTF_8));
  }

  @Test
  void wrongPasswordGivesOneLineErrorWithLoginHintAndNoSecret() throws Exception {
    String wrong = "not-the-password-7f3a";
    RegistryOptions opts = trusting().withCredentials(new Credentials(r().username(), wrong));
    RegistrySink sink = new RegistrySink(ref("acme/app:1"), opts);
    TestImage image = TestImage.random(1, 512, 32);

    Throwable t = catchThrowable(() -> image.pushTo(sink, null));

    assertThat(t).isInstanceOf(RegistryException.class);
    RegistryException e = (RegistryException) t;
    assertThat(e.getMessage())
        .startsWith("registry " + r().hostPort() + " refused the credentials from --creds for push to repo 'acme/app'")
        .contains("HTTP 401 UNAUTHORIZED")
        .contains("docker login " + r().hostPort())
        .contains("GRAFT_USERNAME and GRAFT_PASSWORD")
        .doesNotContain("\n");
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.retryable()).isFalse();
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(wrong)
        .doesNotContain(Base64.getEncoder().encodeToString((r().username() + ":" + wrong).getBytes()));
    assertThat(opts.toString()).doesNotContain(wrong);
    assertThat(opts.credentials().toString()).doesNotContain(wrong);
  }

  @Test
  void missingCredentialsAreNamedWithHowToLogIn() throws Exception {
    try (RegistrySource source = new RegistrySource(ref("acme/app:1"), trusting())) {
      Throwable t = catchThrowable(source::root);
      assertThat(t).isInstanceOf(RegistryException.class).hasMessageStartingWith(
          "registry " + r().hostPort() + " requires credentials for pull from repo 'acme/app'")
          .hasMessageContaining("docker login " + r().hostPort());
    }
  }

  @Test
  void readsBase64AuthFromTheDockerConfigNamedByDOCKER_CONFIG(@TempDir Path dockerConfig) throws Exception {
    String auth = Base64.getEncoder().encodeToString(
        (r().username() + ":" + r().password()).getBytes(StandardCharsets.UTF_8));
    Files.writeString(dockerConfig.resolve("config.json"),
        "{\"auths\":{\"" + r().hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
    RegistryOptions opts = trusting().withEnvironment(Map.of("DOCKER_CONFIG", dockerConfig.toString()));
    TestImage image = TestImage.random(1, 512, 33);

    image.pushTo(new RegistrySink(ref("config/app:1"), opts), null);

    try (RegistrySource source = new RegistrySource(ref("config/app:1"), opts)) {
      assertThat(source.root()).isEqualTo(image.manifest());
    }
  }

  @Test
  void readsGraftUsernameAndPasswordFromTheEnvironment() throws Exception {
    RegistryOptions opts = trusting().withEnvironment(
        Map.of("GRAFT_USERNAME", r().username(), "GRAFT_PASSWORD", r().password()));
    TestImage image = TestImage.random(1, 512, 34);
    image.pushTo(new RegistrySink(ref("env/app:1"), opts), null);

    RegistryOptions elsewhere = trusting().withEnvironment(Map.of("GRAFT_USERNAME", r().username(),
        "GRAFT_PASSWORD", r().password(), "GRAFT_REGISTRY", "registry.example.com"));
    try (RegistrySource source = new RegistrySource(ref("env/app:1"), elsewhere)) {
      assertThat(catchThrowable(source::root)).isInstanceOf(RegistryException.class)
          .hasMessageContaining("requires credentials");
    }
  }

  @Test
  void insecureRegistrySkipsCertificateChecksButStillAuthenticates() throws Exception {
    RegistryOptions opts = RegistryOptions.defaults().withInsecureRegistries(Set.of(r().hostPort()))
        .withCredentials(new Credentials(r().username(), r().password()));
    TestImage image = TestImage.random(1, 512, 35);
    image.pushTo(new RegistrySink(ref("insecure/app:1"), opts), null);
    try (RegistrySource source = new RegistrySource(ref("insecure/app:1"), opts)) {
      assertThat(source.root()).isEqualTo(image.manifest());
    }
  }
}
