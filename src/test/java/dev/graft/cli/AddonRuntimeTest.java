package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectImageResponse;
import dev.graft.testing.ContainerRuntimeExtension;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.RegistryExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;

/**
 * A Home Assistant add-on built with {@code graft build --addon} (the HTTP service of
 * testdata/service with a config.yaml), pushed to a real registry as HA's builder would, pulled
 * from there by the container runtime, starts and answers {@code /health}, carrying HA's labels.
 */
class AddonRuntimeTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @RegisterExtension
  static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();

  @Test
  void anAddonBuiltWithAddonStartsFromTheRegistry(@TempDir Path tmp) throws Exception {
    Path addon = ExampleApp.copyServiceTo(tmp);
    Files.writeString(addon.resolve("graft.yaml"), Files.readString(addon.resolve("graft.yaml"))
        .replace("platforms: [linux/amd64, linux/arm64]\n", "").replace("to: oci-archive:service.tar\n", ""));
    Files.writeString(addon.resolve("config.yaml"), """
        name: "graft service"
        version: "1.0.0"
        slug: graft_service
        description: "The graft example service as a Home Assistant add-on"
        arch: [amd64, aarch64]
        image: "%s/acme/{arch}-graft-service"
        ports:
          8099/tcp: 8099
        """.formatted(registry.get().hostPort()));
    CliRun build = CliRun.of("build", "--addon", addon.toString(), "--cache-dir", tmp.resolve("cache").toString(),
        "--insecure-registry", registry.get().hostPort(), "--platform", "amd64", "-q");
    assertThat(build.exitCode()).as(build.err()).isZero();

    String image = runtime.load(registry.get().hostPort() + "/acme/amd64-graft-service:1.0.0", "amd64");
    GenericContainer<?> c = ServiceRuntimeTest.startService(runtime, image);
    HttpResponse<String> health = ServiceRuntimeTest.get(c, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

    InspectImageResponse info = runtime.client().inspectImageCmd(image).exec();
    Map<String, String> labels = info.getConfig().getLabels();
    assertThat(labels).as("HA 2026.2: apps").containsEntry("io.hass.type", "app").containsEntry("io.hass.arch", "amd64")
        .containsEntry("io.hass.version", "1.0.0").containsEntry("io.hass.name", "graft service");
  }
}
