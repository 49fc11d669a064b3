package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.graft.oci.ImageRef;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.TokenServer;
import dev.graft.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bearer-token flow (Docker Hub's and GHCR's scheme) against a real registry that verifies the tokens. */
class RegistryTokenAuthTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.token();

  private RealRegistry r() {
    return registry.get();
  }

  private ImageRef.Registry ref(String repoAndTag) {
    return (ImageRef.Registry) ImageRef.parse(r().hostPort() + "/" + repoAndTag);
  }

  private RegistryOptions withCreds() {
    return RegistryOptions.defaults().withCredentials(new Credentials(r().username(), r().password()));
  }

  private List<String> tokenRequestsFor(String scope) {
    return r().tokenServer().requests().stream().filter(q -> q.contains("scope=" + scope)).toList();
  }

  @Test
  void pushesAndPullsWithOneTokenPerScope() throws Exception {
    TestImage image = TestImage.random(3, 2048, 61);
    image.pushTo(new RegistrySink(ref("token/app:1"), withCreds()), null);

    assertThat(tokenRequestsFor("repository:token/app:pull,push")).singleElement()
        .satisfies(q -> assertThat(q).contains("service=" + TokenServer.SERVICE));
    try (RegistrySource source = new RegistrySource(ref("token/app:1"), withCreds())) {
      assertThat(source.root()).isEqualTo(image.manifest());
      assertThat(source.readBlob(image.config().descriptor())).isEqualTo(image.config());
    }
    assertThat(tokenRequestsFor("repository:token/app:pull")).hasSize(2); // push scope + one for the source

    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(r().skopeoArgs());
    cmd.add("docker://" + ref("token/app:1"));
    Tools.require("skopeo");
    assertThat(Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout())
        .isEqualTo(new String(image.manifest().bytes(), StandardCharsets.UTF_8));
  }

  @Test
  void asksForPullOnTheOriginRepositoryToMountFromIt() throws Exception {
    TestImage image = TestImage.random(1, 2048, 62);
    ImageRef.Registry base = ref("token/base:1");
    image.pushTo(new RegistrySink(base, withCreds()), null);

    var outcomes = image.pushTo(new RegistrySink(ref("token/derived:1"), withCreds()), base);

    assertThat(outcomes.values()).containsOnly(dev.graft.oci.BlobOutcome.MOUNTED).hasSize(2);
    assertThat(tokenRequestsFor("repository:token/derived:pull,push"))
        .anySatisfy(q -> assertThat(q).contains("scope=repository:token/base:pull"));
  }

  @Test
  void wrongPasswordIsRefusedByTheTokenServiceWithALoginHint() {
    String wrong = "wrong-token-pass-91";
    RegistryOptions opts = RegistryOptions.defaults().withCredentials(new Credentials(r().username(), wrong));
    Throwable t = catchThrowable(() -> TestImage.random(1, 64, 63).pushTo(new RegistrySink(ref("token/x:1"), opts), null));

    assertThat(t).isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("registry " + r().hostPort() + " refused the credentials from --creds for push")
        .hasMessageContaining("HTTP 401 UNAUTHORIZED")
        .hasMessageContaining("docker login " + r().hostPort())
        .hasMessageNotContaining(wrong);
  }

  @Test
  void anonymousPullOfAPrivateRepositoryNamesHowToLogIn() throws Exception {
    TestImage.random(1, 64, 64).pushTo(new RegistrySink(ref("token/private:1"), withCreds()), null);
    try (RegistrySource source = new RegistrySource(ref("token/private:1"), RegistryOptions.defaults())) {
      assertThat(catchThrowable(source::root)).isInstanceOf(RegistryException.class)
          .hasMessageStartingWith("registry " + r().hostPort() + " requires credentials for pull from repo 'token/private'")
          .hasMessageContaining("or the repository does not exist");
    }
  }
}
