package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where credentials come from, read from real docker config files in a temp DOCKER_CONFIG. */
class CredentialResolverTest {
  @TempDir
  Path dockerConfig;

  private RegistryOptions withConfig(String json, Map<String, String> moreEnv) throws Exception {
    Files.writeString(dockerConfig.resolve("config.json"), json);
    var env = new java.util.HashMap<>(moreEnv);
    env.put("DOCKER_CONFIG", dockerConfig.toString());
    return RegistryOptions.defaults().withEnvironment(env);
  }

  private static String auth(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsDockerHubCredentialsUnderItsLegacyIndexKey() throws Exception {
    RegistryOptions opts = withConfig(
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hubuser", "hubpass") + "\"}}}", Map.of());

    var found = CredentialResolver.resolve("docker.io", opts).orElseThrow();

    assertThat(found.credentials()).isEqualTo(new Credentials("hubuser", "hubpass"));
    assertThat(found.source()).isEqualTo(dockerConfig.resolve("config.json").toString());
    assertThat(CredentialResolver.resolve("quay.io", opts)).isEmpty();
  }

  @Test
  void usesGithubTokenForGhcrOnly() throws Exception {
    RegistryOptions opts = withConfig("{}", Map.of("GITHUB_TOKEN", "ghs_secret", "GITHUB_ACTOR", "octocat"));

    var found = CredentialResolver.resolve("ghcr.io", opts).orElseThrow();

    assertThat(found.credentials()).isEqualTo(new Credentials("octocat", "ghs_secret"));
    assertThat(found.source()).isEqualTo("GITHUB_TOKEN");
    assertThat(CredentialResolver.resolve("registry.example.com", opts)).isEmpty();
    assertThat(opts.toString()).doesNotContain("ghs_secret");
  }

  @Test
  void explicitCredentialsWinOverEnvironmentAndDockerConfig() throws Exception {
    RegistryOptions opts = withConfig(
        "{\"auths\":{\"reg.example.com\":{\"auth\":\"" + auth("cfg", "cfgpass") + "\"}}}",
        Map.of("GRAFT_USERNAME", "envuser", "GRAFT_PASSWORD", "envpass"));

    assertThat(CredentialResolver.resolve("reg.example.com", opts).orElseThrow().source())
        .isEqualTo("GRAFT_USERNAME/GRAFT_PASSWORD");
    assertThat(CredentialResolver.resolve("reg.example.com", opts.withCredentials(new Credentials("cli", "clipass")))
        .orElseThrow().source()).isEqualTo("--creds");
  }

  @Test
  void aMalformedDockerConfigIsNamedWithoutEchoingItsContent() throws Exception {
    RegistryOptions opts = withConfig("{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0LXRva2Vu\"", Map.of());

    assertThatThrownBy(() -> CredentialResolver.resolve("x", opts))
        .hasMessageContaining(dockerConfig.resolve("config.json").toString())
        .hasMessageNotContaining("c2VjcmV0LXRva2Vu");
  }

  @Test
  void refusesHalfSetEnvironmentCredentials() {
    assertThatThrownBy(() -> RegistryOptions.defaults().withEnvironment(Map.of("GRAFT_USERNAME", "u")))
        .hasMessageContaining("GRAFT_PASSWORD");
  }

  @Test
  void parsesUserColonPasswordKeepingColonsInThePassword() {
    assertThat(Credentials.parse("user:pa:ss")).isEqualTo(new Credentials("user", "pa:ss"));
    assertThatThrownBy(() -> Credentials.parse("justasecret"))
        .hasMessage("credentials must be given as USER:PASSWORD");
    assertThat(new Credentials("user", "hunter2").toString()).doesNotContain("hunter2");
  }
}
