package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.graft.oci.Json;
import dev.graft.testing.ContainerEngine;
import dev.graft.testing.ContainerExit;
import dev.graft.testing.ContainerRuntimeExtension;
import dev.graft.testing.ExampleApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's example, built as README builds it (an untagged two-platform oci-archive), run in a
 * real container runtime: the runtime applies the image's own Entrypoint, Env and WorkingDir, and
 * the app prints its JSON (node, bcrypt's native addon, the frontend file) and exits 0.
 */
class ExampleRuntimeTest {
  @RegisterExtension
  static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();

  @TempDir
  static Path tmp;

  static String archive;

  @BeforeAll
  static void build() {
    Path app = ExampleApp.copyTo(tmp.resolve("example"));
    archive = "oci-archive:" + tmp.resolve("example.tar");
    CliRun run = CliRun.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--to", archive);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("(tags: latest)", "Run it: podman run --rm --arch amd64 " + archive + ":latest");
  }

  @Test
  void theExampleRunsWithItsOwnEntrypointAndPrintsItsJson() throws Exception {
    ContainerExit exit = run("amd64");
    assertThat(exit.exitCode()).as(exit.stderr()).isZero();
    JsonNode out = Json.MAPPER.readTree(exit.stdout());
    assertThat(out.get("node").asText()).isEqualTo("v20.20.2");
    assertThat(out.get("arch").asText()).isEqualTo("x64");
    assertThat(out.get("bcrypt").asBoolean()).isTrue();
    assertThat(out.get("frontend").asText()).isEqualTo("graft example");
  }

  @Test
  void theRuntimeAppliesTheImagesEnvAndWorkingDir() throws Exception {
    String image = runtime.load(archive, "amd64");
    // Replace only the entrypoint: Env and WorkingDir still come from the image config.
    ContainerExit exit = runtime.runToExit(runtime.container(image).withCreateContainerCmdModifier(c -> c
        .withEntrypoint("node", "-e", "console.log(JSON.stringify({cwd: process.cwd(), uid: process.getuid(),"
            + " NODE_ENV: process.env.NODE_ENV, LIBC: process.env.LIBC, PATH: process.env.PATH}))")),
        Duration.ofMinutes(2));
    assertThat(exit.exitCode()).as(exit.stderr()).isZero();
    JsonNode out = Json.MAPPER.readTree(exit.stdout());
    assertThat(out.get("cwd").asText()).isEqualTo("/app");
    assertThat(out.get("uid").asInt()).as("no user: in the example, so root").isZero();
    assertThat(out.get("NODE_ENV").asText()).isEqualTo("production");
    assertThat(out.get("LIBC").asText()).isEqualTo("glibc");
    assertThat(out.get("PATH").asText()).contains("/usr/local/bin");

    // and the container the runtime made from the unmodified image carries the config as written
    var plain = runtime.container(image);
    runtime.runToExit(plain, Duration.ofMinutes(2));
    InspectContainerResponse info = runtime.client().inspectContainerCmd(plain.getContainerId()).exec();
    assertThat(info.getConfig().getEntrypoint()).containsExactly("node", "/app/backend/index.js");
    assertThat(info.getConfig().getWorkingDir()).isEqualTo("/app");
    assertThat(Arrays.asList(info.getConfig().getEnv())).contains("NODE_ENV=production", "LIBC=glibc");
  }

  @Test
  void theArm64ImageRunsWhereBinfmtMiscHandsItToQemu() throws Exception {
    assumeTrue(ContainerEngine.canRun("arm64"), "no binfmt_misc registration for qemu-aarch64 on this host, so"
        + " no container runtime can exec arm64 binaries; the arm64 image runs under qemu-user + chroot instead"
        + " (AlpineShowcaseTest, ExampleLibcTest)");
    ContainerExit exit = run("arm64");
    assertThat(exit.exitCode()).as(exit.stderr()).isZero();
    assertThat(Json.MAPPER.readTree(exit.stdout()).get("arch").asText()).isEqualTo("arm64");
  }

  private static ContainerExit run(String arch) {
    String image = runtime.load(archive, arch);
    return runtime.runToExit(runtime.container(image), Duration.ofMinutes(2));
  }
}
