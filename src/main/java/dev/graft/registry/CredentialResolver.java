package dev.graft.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.registry.credentials.DockerConfigCredentialRetriever;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Optional<Found> identity = identityToken(registry, options);
    if (identity.isPresent()) {
      return identity;
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

  /**
   * An {@code identitytoken} that {@code docker login} stored for the registry (Azure and other
   * OAuth2 registries): jib-core 0.27 reads only {@code auth}, so this one field is ours. It is
   * exchanged for an access token by TokenService (user name {@code <token>}, as helpers give it).
   */
  private static Optional<Found> identityToken(String registry, RegistryOptions options) throws IOException {
    Path file = options.dockerConfigFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode auths;
    try {
      JsonNode root = Json.MAPPER.readTree(file.toFile());
      auths = root == null ? null : root.get("auths");
    } catch (IOException e) {
      throw new IOException("cannot read docker config " + file + ": it is not valid JSON"
          + " (fix or remove the file, or set DOCKER_CONFIG)", null);
    }
    if (auths == null || !auths.isObject()) {
      return Optional.empty();
    }
    for (var it = auths.fields(); it.hasNext(); ) {
      var entry = it.next();
      JsonNode token = entry.getValue().get("identitytoken");
      if (token != null && token.isTextual() && !token.asText().isEmpty()
          && sameRegistry(hostOfKey(entry.getKey()), registry)) {
        return Optional.of(new Found(new Credentials(TokenService.IDENTITY_TOKEN_USER, token.asText()), file.toString()));
      }
    }
    return Optional.empty();
  }

  private static boolean sameRegistry(String keyHost, String registry) {
    if (registry.equals(dev.graft.oci.ImageRef.Registry.DOCKER_HUB)) {
      return java.util.Set.of("docker.io", "index.docker.io", "registry-1.docker.io").contains(keyHost);
    }
    return keyHost.equals(registry);
  }

  /** {@code https://host:port/v1/} → {@code host:port}, as docker matches its config keys. */
  private static String hostOfKey(String key) {
    String k = key.replaceFirst("^[a-zA-Z]+://", "");
    int slash = k.indexOf('/');
    return slash < 0 ? k : k.substring(0, slash);
  }
}
