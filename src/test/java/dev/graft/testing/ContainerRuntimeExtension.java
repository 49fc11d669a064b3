package dev.graft.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs images graft just built in a real container runtime, through testcontainers: the machine's
 * Docker engine if it has one, else a podman API service of this test run's own
 * ({@link ContainerEngine}, {@link PodmanService}; one per JVM, its whole store in a temp
 * directory, removed when the run ends). Register it as a static field, load an image, and use
 * testcontainers as usual; containers made through {@link #container} are removed after each test,
 * the image names after the class:
 * <pre>{@code
 * @RegisterExtension static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();
 *
 * String image = runtime.load("oci-archive:" + archive, "amd64");   // or "127.0.0.1:5000/app:1"
 * GenericContainer<?> app = runtime.container(image).withExposedPorts(8099)
 *     .waitingFor(Wait.forHttp("/health"));
 * app.start();                          // then app.getMappedPort(8099), app.getLogs(), ...
 * ContainerExit done = runtime.runToExit(runtime.container(image), Duration.ofSeconds(60));
 * }</pre>
 * Needs podman and runc (scripts/test installs them) and TESTCONTAINERS_RYUK_DISABLED=true (the
 * pom sets it for mvn test). Foreign CPUs run only where binfmt_misc hands them to qemu
 * ({@link ContainerEngine#canRun}); elsewhere use {@link UnpackedImage} (chroot, qemu-user).
 */
public final class ContainerRuntimeExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ContainerEngine.class);

  private final List<GenericContainer<?>> containers = Collections.synchronizedList(new ArrayList<>());
  private final List<String> images = Collections.synchronizedList(new ArrayList<>());
  private ContainerEngine engine;

  @Override
  public void beforeAll(ExtensionContext context) {
    engine = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ContainerEngine.class, k -> {
      try {
        return ContainerEngine.start();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, ContainerEngine.class);
  }

  /** The engine (for {@link ContainerEngine#description()} in messages, {@link ContainerEngine#isPodman()}). */
  public ContainerEngine engine() {
    if (engine == null) {
      throw new IllegalStateException("register ContainerRuntimeExtension as a static @RegisterExtension field");
    }
    return engine;
  }

  /** testcontainers' client of the engine (inspect, logs, wait). */
  public DockerClient client() {
    return engine().client();
  }

  /** {@link ContainerEngine#load}: the image {@code ref} names, for {@code arch}, under a name of its own. */
  public String load(String ref, String arch) {
    String image = engine().load(ref, arch);
    images.add(image);
    return image;
  }

  /** A container of a {@link #load}ed image, never pulled; removed after the test. */
  public GenericContainer<?> container(String image) {
    GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image)).withImagePullPolicy(name -> false);
    containers.add(c);
    return c;
  }

  /**
   * Starts the container, waits (at most {@code timeout}) until it has exited, whatever its exit
   * code, and returns the code and its output.
   */
  public ContainerExit runToExit(GenericContainer<?> c, Duration timeout) {
    c.withStartupCheckStrategy(new RanToExit().withTimeout(timeout));
    c.start();
    InspectContainerResponse.ContainerState state = client().inspectContainerCmd(c.getContainerId()).exec().getState();
    return new ContainerExit(state.getExitCodeLong(), c.getLogs(OutputFrame.OutputType.STDOUT),
        c.getLogs(OutputFrame.OutputType.STDERR), state.getError() == null ? "" : state.getError());
  }

  /** {@link ContainerEngine#awaitHealthy} for a started container. */
  public Duration awaitHealthy(GenericContainer<?> c, Duration timeout, Duration interval) {
    return engine().awaitHealthy(c.getContainerId(), timeout, interval);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<GenericContainer<?>> started;
    synchronized (containers) {
      started = List.copyOf(containers);
      containers.clear();
    }
    started.forEach(GenericContainer::stop);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    afterEach(context);
    List<String> loaded;
    synchronized (images) {
      loaded = List.copyOf(images);
      images.clear();
    }
    loaded.forEach(engine::remove);
  }

  /** Startup is over once the container has stopped, with any exit code: the test judges it. */
  private static final class RanToExit extends StartupCheckStrategy {
    @Override
    public StartupStatus checkStartupState(DockerClient client, String containerId) {
      InspectContainerResponse.ContainerState state = getCurrentState(client, containerId);
      return org.testcontainers.utility.DockerStatus.isContainerStopped(state) ? StartupStatus.SUCCESSFUL
          : StartupStatus.NOT_YET_KNOWN;
    }
  }
}
