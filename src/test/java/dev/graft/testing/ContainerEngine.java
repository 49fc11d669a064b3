package dev.graft.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;

/**
 * The container runtime the suite runs graft's images in: the Docker engine a developer's machine
 * or CI runner already has ({@code DOCKER_HOST}, or {@code /var/run/docker.sock} answering), else
 * a {@link PodmanService} of this test run's own. {@code GRAFT_CONTAINER_ENGINE=podman|docker}
 * forces one. One engine per JVM ({@link ContainerRuntimeExtension} keeps it in JUnit's root store,
 * which closes it when the run ends).
 */
public final class ContainerEngine implements AutoCloseable {
  private static final AtomicInteger IMAGES = new AtomicInteger();

  private final PodmanService podman;
  private final String description;

  private ContainerEngine(PodmanService podman, String description) {
    this.podman = podman;
    this.description = description;
  }

  /** Finds or starts the engine (see the class comment). */
  static ContainerEngine start() throws IOException {
    String forced = System.getenv().getOrDefault("GRAFT_CONTAINER_ENGINE", "");
    boolean docker = switch (forced) {
      case "docker" -> true;
      case "podman" -> false;
      case "" -> System.getenv("DOCKER_HOST") != null || PodmanService.ping(Path.of("/var/run/docker.sock"));
      default -> throw new AssertionError("GRAFT_CONTAINER_ENGINE=" + forced + ": use podman or docker");
    };
    if (!"true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
      // Ryuk is an image from Docker Hub; the pom's surefire configuration sets this for mvn test.
      throw new AssertionError("set TESTCONTAINERS_RYUK_DISABLED=true (the suite removes its containers itself;"
          + " Ryuk's image cannot be pulled where Docker Hub is unreachable)");
    }
    if (docker) {
      Tools.require("skopeo");
      return new ContainerEngine(null, "Docker engine at " + DockerClientFactory.instance().getTransportConfig().getDockerHost());
    }
    PodmanService service = PodmanService.start();
    PodmanClientStrategy.use(service.dockerHost());
    return new ContainerEngine(service, "podman " + service.cliOk(Duration.ofSeconds(30), "version", "--format",
        "{{.Client.Version}}").stdout().strip() + " (API service in " + service.dir() + ")");
  }

  /** What runs the containers, for messages: "podman 4.3.1 (API service in /tmp/…)". */
  public String description() {
    return description;
  }

  /** True when this is graft's own podman service (its CLI works on the same store). */
  public boolean isPodman() {
    return podman != null;
  }

  /** testcontainers' client of this engine. */
  public DockerClient client() {
    return DockerClientFactory.instance().client();
  }

  /**
   * Puts the image {@code ref} names into the engine's store for CPU {@code arch} ({@code amd64},
   * {@code arm64}) and returns a name of its own for it ({@code localhost/graft-test-PID/imgN:latest}).
   * {@code ref} is graft's (and skopeo's) syntax: {@code oci-archive:FILE[:TAG]}, {@code oci:DIR[:TAG]},
   * {@code docker-archive:FILE}, or a registry reference such as the test registry's
   * {@code 127.0.0.1:PORT/repo:tag} (plain HTTP or self-signed TLS is accepted).
   */
  public String load(String ref, String arch) {
    String name = "localhost/graft-test-" + ProcessHandle.current().pid() + "/img" + IMAGES.incrementAndGet() + ":latest";
    boolean local = ref.startsWith("oci-archive:") || ref.startsWith("oci:") || ref.startsWith("docker-archive:");
    String source = local ? ref : "docker://" + ref;
    if (podman != null) {
      // podman pulls from archives and registries alike, choosing the arch from an index; -q prints the image ID
      List<String> out = podman.cliOk(Duration.ofMinutes(5), "pull", "-q", "--arch", arch, "--tls-verify=false", source)
          .stdout().lines().toList();
      podman.cliOk(Duration.ofSeconds(30), "tag", out.get(out.size() - 1).strip(), name);
      return name;
    }
    // A Docker engine loads docker-archives; skopeo (an independent client) makes one of any source.
    try {
      Path tmp = Files.createTempFile("graft-load", ".tar");
      try {
        Files.delete(tmp);
        Tools.runOk(Duration.ofMinutes(5), "skopeo", "copy", "-q", "--src-tls-verify=false", "--override-arch", arch,
            source, "docker-archive:" + tmp + ":" + name);
        try (InputStream in = Files.newInputStream(tmp)) {
          client().loadImageCmd(in).exec();
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes an image name {@link #load} made (the store itself goes with the podman service). */
  void remove(String image) {
    try {
      client().removeImageCmd(image).withForce(true).exec();
    } catch (RuntimeException e) {
      // already gone, or still used by a container being removed: the store goes with the engine
    }
  }

  /**
   * Waits until the engine reports the container's HEALTHCHECK healthy and returns how long that
   * took; fails with the health log when it reports unhealthy, the container exits, or time runs
   * out. Without systemd podman cannot schedule its healthcheck timers ("unable to get systemd
   * connection to add healthchecks"), so here the harness runs {@code podman healthcheck run} —
   * podman's own check, recorded in the container's state — at the image's interval.
   */
  public Duration awaitHealthy(String containerId, Duration timeout, Duration interval) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      if (podman != null) {
        podman.cli(Duration.ofSeconds(60), "healthcheck", "run", containerId);
      }
      InspectContainerResponse.ContainerState state = client().inspectContainerCmd(containerId).exec().getState();
      HealthState health = state.getHealth();
      String status = health == null ? "none" : health.getStatus();
      if ("healthy".equals(status)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      if ("unhealthy".equals(status) || !Boolean.TRUE.equals(state.getRunning()) || System.nanoTime() > deadline) {
        throw new AssertionError("container " + containerId + " is not healthy (health " + status + ", running "
            + state.getRunning() + ", exit " + state.getExitCodeLong() + ") after "
            + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; health log: "
            + (health == null ? "none" : health.getLog()));
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * True when this engine can run {@code arch} binaries: the host's own CPU, or a foreign one that
   * binfmt_misc hands to qemu-user (registered with the F flag, as qemu-user-static's binfmt
   * support does).
   */
  public static boolean canRun(String arch) {
    String host = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    if (arch.equals(host)) {
      return true;
    }
    String qemu = Map.of("arm64", "qemu-aarch64", "amd64", "qemu-x86_64", "arm", "qemu-arm").getOrDefault(arch, "");
    Path entry = Path.of("/proc/sys/fs/binfmt_misc", qemu);
    try {
      return Files.isRegularFile(entry) && Files.readString(entry).startsWith("enabled");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (podman != null && PodmanClientStrategy.inUse()) {
      PodmanClientStrategy.use(null);
      podman.close();
    }
  }
}
