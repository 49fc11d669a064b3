package dev.graft.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to reach registries: which may use plain HTTP or unverified TLS, which credentials to use
 * and which extra CA to trust.
 *
 * <p>Credentials are looked up in this order, first match wins: {@code credentials} (explicit
 * {@code --creds}); {@code environmentCredentials} ({@code GRAFT_USERNAME}/{@code GRAFT_PASSWORD},
 * limited to the registry named by {@code GRAFT_REGISTRY} when that is set, so CI can push to a
 * private registry while pulling public bases anonymously); {@code GITHUB_TOKEN} for ghcr.io;
 * then the docker config file (auths, credsStore, credHelpers). Explicit credentials apply to
 * every registry these options are used for, so give a source and a destination separate options.
 *
 * @param insecureRegistries registries ({@code host} or {@code host:port}) that may be reached
 *     over plain HTTP or TLS without certificate verification
 * @param credentials explicit credentials, or null
 * @param caCertificate a PEM file of extra CA certificates to trust, or null
 * @param environmentCredentials credentials from GRAFT_USERNAME/GRAFT_PASSWORD, or null
 * @param environmentCredentialsRegistry the only registry they apply to (GRAFT_REGISTRY), or null for all
 * @param githubToken credentials made from GITHUB_TOKEN (and GITHUB_ACTOR), used for ghcr.io, or null
 * @param dockerConfigFile the docker config.json to read ({@code $DOCKER_CONFIG/config.json} or
 *     {@code $HOME/.docker/config.json}); need not exist
 * @param retry when failed requests and transfers are tried again
 * @param stateDir where facts learned about registries are remembered between runs (which scheme
 *     a registry allowed plain HTTP answered on), or null to remember nothing
 */
public record RegistryOptions(
    Set<String> insecureRegistries,
    Credentials credentials,
    Path caCertificate,
    Credentials environmentCredentials,
    String environmentCredentialsRegistry,
    Credentials githubToken,
    Path dockerConfigFile,
    RetryPolicy retry,
    Path stateDir) {

  public RegistryOptions {
    if (retry == null) {
      retry = RetryPolicy.defaults();
    }
    insecureRegistries = Set.copyOf(new TreeSet<>(insecureRegistries == null ? Set.of() : insecureRegistries));
    if (dockerConfigFile == null) {
      dockerConfigFile = defaultDockerConfig(System.getenv());
    }
  }

  /** Options that remember nothing between runs. */
  public RegistryOptions(Set<String> insecureRegistries, Credentials credentials, Path caCertificate,
      Credentials environmentCredentials, String environmentCredentialsRegistry, Credentials githubToken,
      Path dockerConfigFile, RetryPolicy retry) {
    this(insecureRegistries, credentials, caCertificate, environmentCredentials, environmentCredentialsRegistry,
        githubToken, dockerConfigFile, retry, null);
  }

  /** Options with the default retry policy. */
  public RegistryOptions(Set<String> insecureRegistries, Credentials credentials, Path caCertificate,
      Credentials environmentCredentials, String environmentCredentialsRegistry, Credentials githubToken,
      Path dockerConfigFile) {
    this(insecureRegistries, credentials, caCertificate, environmentCredentials, environmentCredentialsRegistry,
        githubToken, dockerConfigFile, null);
  }

  /** No insecure registries, no explicit credentials; docker config from the home directory. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(Set.of(), null, null, null, null, null, null);
  }

  /**
   * Reads GRAFT_USERNAME, GRAFT_PASSWORD, GRAFT_REGISTRY, GITHUB_TOKEN, GITHUB_ACTOR, DOCKER_CONFIG
   * and HOME from {@code env} (the caller passes System.getenv(), tests their own map).
   */
  public RegistryOptions withEnvironment(Map<String, String> env) {
    String user = blankToNull(env.get("GRAFT_USERNAME"));
    String password = env.get("GRAFT_PASSWORD");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("set both GRAFT_USERNAME and GRAFT_PASSWORD, or neither");
    }
    Credentials fromEnv = user == null ? null : new Credentials(user, password);
    String token = blankToNull(env.get("GITHUB_TOKEN"));
    String actor = blankToNull(env.get("GITHUB_ACTOR"));
    // ghcr.io accepts any user name with a token; GITHUB_ACTOR makes audit logs readable.
    Credentials github = token == null ? null : new Credentials(actor != null ? actor : "token", token);
    return new RegistryOptions(insecureRegistries, credentials, caCertificate, fromEnv,
        blankToNull(env.get("GRAFT_REGISTRY")), github, defaultDockerConfig(env), retry, stateDir);
  }

  public RegistryOptions withCredentials(Credentials c) {
    return new RegistryOptions(insecureRegistries, c, caCertificate, environmentCredentials,
        environmentCredentialsRegistry, githubToken, dockerConfigFile, retry, stateDir);
  }

  public RegistryOptions withInsecureRegistries(Set<String> registries) {
    return new RegistryOptions(registries, credentials, caCertificate, environmentCredentials,
        environmentCredentialsRegistry, githubToken, dockerConfigFile, retry, stateDir);
  }

  public RegistryOptions withCaCertificate(Path pem) {
    return new RegistryOptions(insecureRegistries, credentials, pem, environmentCredentials,
        environmentCredentialsRegistry, githubToken, dockerConfigFile, retry, stateDir);
  }

  public RegistryOptions withRetry(RetryPolicy policy) {
    return new RegistryOptions(insecureRegistries, credentials, caCertificate, environmentCredentials,
        environmentCredentialsRegistry, githubToken, dockerConfigFile, policy, stateDir);
  }

  /** Remembers what is learned about registries in {@code dir} (see {@link #stateDir}). */
  public RegistryOptions withStateDir(Path dir) {
    return new RegistryOptions(insecureRegistries, credentials, caCertificate, environmentCredentials,
        environmentCredentialsRegistry, githubToken, dockerConfigFile, retry, dir);
  }

  /** Whether {@code registry} (host or host:port) was named insecure, by itself or by its host. */
  public boolean isInsecure(String registry) {
    return insecureRegistries.contains(registry) || insecureRegistries.contains(RegistryHost.hostOnly(registry));
  }

  /** {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}, as docker and skopeo look. */
  private static Path defaultDockerConfig(Map<String, String> env) {
    String dockerConfigDir = env.get("DOCKER_CONFIG");
    if (dockerConfigDir != null && !dockerConfigDir.isBlank()) {
      return Path.of(dockerConfigDir, "config.json");
    }
    return dev.graft.oci.HomeDirectory.of(env).resolve(".docker").resolve("config.json");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    // The record's default would print Credentials' toString (redacted) but keep this explicit.
    return "RegistryOptions[insecure=" + insecureRegistries + ", credentials=" + (credentials != null)
        + ", caCertificate=" + caCertificate + ", environmentCredentials=" + (environmentCredentials != null)
        + ", githubToken=" + (githubToken != null) + ", dockerConfig=" + dockerConfigFile
        + ", retry=" + retry.maxAttempts() + " attempts, stateDir=" + stateDir + "]";
  }
}
