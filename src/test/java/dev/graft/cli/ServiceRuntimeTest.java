package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.graft.oci.Json;
import dev.graft.testing.ContainerRuntimeExtension;
import dev.graft.testing.ExampleApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * testdata/service, the example's HTTP service, in a real container runtime: a node server that
 * loads bcrypt's native addon, its port published to the host, {@code GET /health} answering
 * {@code {"status":"ok"}}, running as the non-root {@code user:} of its graft.yaml, and the
 * HEALTHCHECK graft wrote reported healthy by the runtime.
 */
class ServiceRuntimeTest {
  @RegisterExtension
  static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();

  /** GET {@code path} on the container's published port 8099: status and body. */
  static HttpResponse<String> get(GenericContainer<?> c, String path) throws Exception {
    URI uri = URI.create("http://" + c.getHost() + ":" + c.getMappedPort(8099) + path);
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A started container of the service image: its port published, {@code /health} answering 200. */
  static GenericContainer<?> startService(ContainerRuntimeExtension runtime, String image) {
    GenericContainer<?> c = runtime.container(image).withExposedPorts(8099)
        .waitingFor(Wait.forHttp("/health").forPort(8099).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(1)));
    c.start();
    return c;
  }

  @Test
  void theServiceAnswersHealthAsItsNonRootUserAndIsReportedHealthy(@TempDir Path tmp) throws Exception {
    Path service = ExampleApp.copyServiceTo(tmp);
    String archive = "oci-archive:" + tmp.resolve("service.tar");
    CliRun build = CliRun.of("build", "-f", service.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--platform", "linux/amd64", "--to", archive, "-q");
    assertThat(build.exitCode()).as(build.err()).isZero();

    GenericContainer<?> c = startService(runtime, runtime.load(archive, "amd64"));
    HttpResponse<String> health = get(c, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

    JsonNode who = Json.MAPPER.readTree(get(c, "/whoami").body());
    assertThat(who.get("uid").asInt()).as("user: \"405:100\" from graft.yaml").isEqualTo(405);
    assertThat(who.get("gid").asInt()).isEqualTo(100);
    assertThat(who.get("cwd").asText()).isEqualTo("/app");
    assertThat(who.get("bcrypt").asBoolean()).as("bcrypt's native addon loaded and hashed").isTrue();
    assertThat(who.get("env").get("NODE_ENV").asText()).isEqualTo("production");

    InspectContainerResponse info = runtime.client().inspectContainerCmd(c.getContainerId()).exec();
    assertThat(info.getConfig().getUser()).isEqualTo("405:100");
    assertThat(info.getConfig().getExposedPorts()).extracting(p -> p.getPort()).contains(8099);

    runtime.awaitHealthy(c, Duration.ofMinutes(1), Duration.ofSeconds(1));
    List<HealthStateLog> log = runtime.client().inspectContainerCmd(c.getContainerId()).exec().getState()
        .getHealth().getLog();
    assertThat(log).as("the runtime ran the image's HEALTHCHECK").isNotEmpty();
    assertThat(log.get(log.size() - 1).getExitCodeLong()).isZero();
  }
}
