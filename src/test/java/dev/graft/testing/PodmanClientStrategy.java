package dev.graft.testing;

import java.net.URI;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Points testcontainers at the podman service {@link ContainerEngine} started (found through
 * {@code META-INF/services}). Applicable only once that service runs, so where a Docker engine is
 * configured ({@code DOCKER_HOST}, {@code /var/run/docker.sock}) testcontainers' own strategies
 * find it as usual. Never persisted to {@code ~/.testcontainers.properties}: the socket lives in
 * a temp directory of this test run.
 */
public final class PodmanClientStrategy extends DockerClientProviderStrategy {
  private static volatile String dockerHost;

  static void use(String host) {
    dockerHost = host;
  }

  static boolean inUse() {
    return dockerHost != null;
  }

  @Override
  public TransportConfig getTransportConfig() {
    return TransportConfig.builder().dockerHost(URI.create(dockerHost)).build();
  }

  @Override
  public String getDescription() {
    return "graft's podman service (" + dockerHost + ")";
  }

  @Override
  protected boolean isApplicable() {
    return dockerHost != null;
  }

  @Override
  protected boolean isPersistable() {
    return false;
  }

  @Override
  protected int getPriority() {
    return 1000;
  }
}
