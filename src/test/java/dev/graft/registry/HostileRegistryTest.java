package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.registry.ScriptedRegistry.Reply;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What graft refuses or protects against when a registry misbehaves. */
class HostileRegistryTest {
  private ScriptedRegistry server;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedRegistry.start(true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The scripted registry serves TLS with a throw-away key. */
  private RegistryOptions insecure() {
    return RegistryOptions.defaults().withInsecureRegistries(java.util.Set.of(server.hostPort()));
  }

  private ImageRef.Registry ref(String repoAndRef) {
    return (ImageRef.Registry) ImageRef.parse(server.hostPort() + "/" + repoAndRef);
  }

  private static byte[] manifestBytes() {
    return TestImage.random(1, 16, 51).manifest().bytes();
  }

  @Test
  void refusesAManifestOfUnknownMediaType() throws Exception {
    String schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    server.on("/v2/old/app/manifests/1", req -> Reply.of(200, schema1, "{\"schemaVersion\":1}".getBytes()));
    try (RegistrySource source = new RegistrySource(ref("old/app:1"), insecure())) {
      assertThatThrownBy(source::root).isInstanceOf(OciFormatException.class)
          .hasMessageContaining("unknown media type '" + schema1 + "'")
          .hasMessageContaining(server.hostPort() + "/old/app:1");
    }
  }

  @Test
  void readsTheMediaTypeFromTheDocumentWhenServedAsPlainJson() throws Exception {
    byte[] bytes = manifestBytes();
    server.on("/v2/plain/app/manifests/1", req -> Reply.of(200, "application/json", bytes));
    try (RegistrySource source = new RegistrySource(ref("plain/app:1"), insecure())) {
      assertThat(source.root()).isEqualTo(new Blob(MediaTypes.OCI_MANIFEST, bytes));
    }
  }

  @Test
  void refusesAManifestOverTheSizeLimit() throws Exception {
    byte[] huge = new byte[Json.MAX_DOCUMENT_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    server.on("/v2/big/app/manifests/1", req -> Reply.of(200, MediaTypes.OCI_MANIFEST, huge));
    try (RegistrySource source = new RegistrySource(ref("big/app:1"), insecure())) {
      assertThatThrownBy(source::root).isInstanceOf(OciFormatException.class).hasMessageContaining("limit");
    }
  }

  @Test
  void refusesATaggedManifestWhoseBytesDoNotMatchTheAdvertisedDigest() throws Exception {
    byte[] bytes = manifestBytes();
    Digest other = Digest.sha256("something else".getBytes());
    server.on("/v2/lie/app/manifests/1", req -> new Reply(200,
        Map.of("Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", other.toString()), bytes));
    try (RegistrySource source = new RegistrySource(ref("lie/app:1"), insecure())) {
      assertThatThrownBy(source::root).isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(other.toString());
    }
  }

  @Test
  void refusesAManifestFetchedByDigestWithOtherBytes() throws Exception {
    Digest pinned = Digest.sha256("the manifest we asked for".getBytes());
    server.on("/v2/lie/app/manifests/" + pinned, req -> Reply.of(200, MediaTypes.OCI_MANIFEST, manifestBytes()));
    try (RegistrySource source = new RegistrySource(ref("lie/app@" + pinned), insecure())) {
      assertThatThrownBy(source::root).isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(pinned.toString());
    }
  }

  @Test
  void keepsCredentialsFromTheHostABlobDownloadRedirectsTo() throws Exception {
    byte[] blob = "layer bytes".getBytes(StandardCharsets.UTF_8);
    Descriptor d = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(blob), blob.length);
    String basic = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes());
    try (ScriptedRegistry storage = ScriptedRegistry.start()) {
      storage.on("/bucket/blob", req -> Reply.of(200, "application/octet-stream", blob));
      server.on("/v2/", req -> basic.equals(req.header("Authorization"))
          ? Reply.of(200, "application/json", "{}".getBytes())
          : new Reply(401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), new byte[0]));
      // "localhost" is another authority than "127.0.0.1", as object storage would be.
      server.on("/v2/redir/app/blobs/" + d.digest(), req -> new Reply(307,
          Map.of("Location", "http://localhost:" + storage.port() + "/bucket/blob?sig=1"), new byte[0]));
      RegistryOptions opts = insecure().withCredentials(new Credentials("u", "p"));

      try (RegistrySource source = new RegistrySource(ref("redir/app:1"), opts);
          InputStream in = source.openBlob(d)) {
        assertThat(in.readAllBytes()).isEqualTo(blob);
      }

      assertThat(server.requestsTo("/v2/redir/app/blobs/")).singleElement()
          .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo(basic));
      assertThat(storage.requestsTo("/bucket/blob")).singleElement()
          .satisfies(r -> assertThat(r.header("Authorization")).isNull());
    }
  }

  @Test
  void fetchesABearerTokenForTheRepositoryScopeAndReusesIt() throws Exception {
    byte[] bytes = manifestBytes();
    String basic = "Basic " + Base64.getEncoder().encodeToString("robot:s3cret".getBytes());
    server.on("/v2/", req -> new Reply(401, Map.of("WWW-Authenticate",
        "Bearer realm=\"https://" + server.hostPort() + "/token\",service=\"test-registry\""), new byte[0]));
    server.on("/token", req -> basic.equals(req.header("Authorization"))
        ? Reply.of(200, "application/json", "{\"token\":\"tok-123\",\"expires_in\":300}".getBytes())
        : Reply.of(401, "application/json", "{}".getBytes()));
    server.on("/v2/org/app/manifests/1", req -> "Bearer tok-123".equals(req.header("Authorization"))
        ? Reply.of(200, MediaTypes.OCI_MANIFEST, bytes)
        : new Reply(401, Map.of("WWW-Authenticate", "Bearer realm=\"x\""), new byte[0]));
    RegistryOptions opts = insecure().withCredentials(new Credentials("robot", "s3cret"));

    try (RegistrySource source = new RegistrySource(ref("org/app:1"), opts)) {
      assertThat(source.root().bytes()).isEqualTo(bytes);
      assertThat(source.root().bytes()).isEqualTo(bytes);
    }

    assertThat(server.requestsTo("/token")).singleElement().satisfies(r -> assertThat(r.uri())
        .contains("service=test-registry").contains("scope=repository%3Aorg%2Fapp%3Apull"));
  }

  @Test
  void exchangesADockerLoginIdentityTokenForAnAccessToken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path docker)
      throws Exception {
    byte[] bytes = manifestBytes();
    java.nio.file.Files.writeString(docker.resolve("config.json"),
        "{\"auths\":{\"" + server.hostPort() + "\":{\"identitytoken\":\"refresh-abc\"}}}");
    server.on("/v2/", req -> new Reply(401, Map.of("WWW-Authenticate",
        "Bearer realm=\"https://" + server.hostPort() + "/oauth2/token\",service=\"svc\""), new byte[0]));
    server.on("/oauth2/token", req -> req.method().equals("POST") && req.body().contains("refresh_token=refresh-abc")
        ? Reply.of(200, "application/json", "{\"access_token\":\"acc-9\"}".getBytes())
        : Reply.of(401, "application/json", "{}".getBytes()));
    server.on("/v2/acr/app/manifests/1", req -> "Bearer acc-9".equals(req.header("Authorization"))
        ? Reply.of(200, MediaTypes.OCI_MANIFEST, bytes)
        : new Reply(401, Map.of(), new byte[0]));
    RegistryOptions opts = insecure().withEnvironment(Map.of("DOCKER_CONFIG", docker.toString()));

    try (RegistrySource source = new RegistrySource(ref("acr/app:1"), opts)) {
      assertThat(source.root().bytes()).isEqualTo(bytes);
    }
    assertThat(server.requestsTo("/oauth2/token")).singleElement().satisfies(r -> assertThat(r.body())
        .contains("grant_type=refresh_token").contains("service=svc")
        .contains("scope=repository%3Aacr%2Fapp%3Apull"));
  }

  @Test
  void retriesAManifestAfterATransientServerError() throws Exception {
    byte[] bytes = manifestBytes();
    AtomicInteger calls = new AtomicInteger();
    server.on("/v2/flaky/app/manifests/1", req -> calls.incrementAndGet() == 1
        ? Reply.of(503, "text/plain", "busy".getBytes())
        : Reply.of(200, MediaTypes.OCI_MANIFEST, bytes));
    try (RegistrySource source = new RegistrySource(ref("flaky/app:1"), insecure())) {
      assertThat(source.root().bytes()).isEqualTo(bytes);
    }
    assertThat(calls).hasValue(2);
  }

  @Test
  void reportsAPersistentServerErrorAsRetryable() throws Exception {
    server.on("/v2/down/app/manifests/1", req -> Reply.of(503, "application/json",
        "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}".getBytes()));
    try (RegistrySource source = new RegistrySource(ref("down/app:1"), insecure())) {
      assertThatThrownBy(source::root).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.errorCodes()).containsExactly("UNAVAILABLE");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("maintenance").contains(server.hostPort());
      });
    }
  }
}
