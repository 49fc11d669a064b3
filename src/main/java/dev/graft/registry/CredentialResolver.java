package dev.graft.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.registry.credentials.DockerConfigCredentialRetriever;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the credentials for one registry in the order RegistryOptions documents. The docker
 * config (auths, credsStore, credHelpers, Docker Hub's {@code https://index.docker.io/v1/} key)
 * is read by jib-core, which knows the aliases and runs {@code docker-credential-*} helpers.
 */
final class CredentialResolver {
  private static final String GHCR = "ghcr.io";

  private CredentialResolver() {}

  /** Credentials and where they came from (for error messages; never the secret itself). */
  record Found(Credentials credentials, String source) {}

  static Optional<Found> resolve(String registry, RegistryOptions options) throws IOException {
    if (options.credentials() != null) {
      return Optional.of(new Found(options.credentials(), "--creds"));
    }
    if (options.environmentCredentials() != null && (options.environmentCredentialsRegistry() == null
        || options.environmentCredentialsRegistry().equals(registry))) {
      return Optional.of(new Found(options.environmentCredentials(), "GRAFT_USERNAME/GRAFT_PASSWORD"));
    }
    if (options.githubToken() != null && registry.equals(GHCR)) {
      return Optional.of(new Found(options.githubToken(), "GITHUB_TOKEN"));
    }
    // jib logs helper failures as warnings; a missing helper must not stop anonymous pulls, so
    // they are dropped here and the registry's 401 (with the login hint) tells the user instead.
    Consumer<LogEvent> ignore = e -> {};
    DockerConfigCredentialRetriever retriever =
        DockerConfigCredentialRetriever.create(registry, options.dockerConfigFile());
    Optional<Credential> c;
    try {
      c = retriever.retrieve(ignore);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read docker config " + options.dockerConfigFile() + ": "
          + e.getClass().getSimpleName() + " (fix or remove the file, or set DOCKER_CONFIG)", null);
    }
    return c.filter(cred -> cred.getUsername() != null && !cred.getUsername().isEmpty())
        .map(cred -> new Found(new Credentials(cred.getUsername(), cred.getPassword()),
        options.dockerConfigFile().toString()));
  }
}
