package dev.graft.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link RealRegistry} for a test class and stops it afterwards. Register it as a static
 * field for one registry per class, or as an instance field for one per test:
 * <pre>{@code @RegisterExtension static final RegistryExtension registry = RegistryExtension.htpasswdTls();}</pre>
 */
public final class RegistryExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  private final boolean htpasswd;
  private final boolean tls;
  private final boolean token;
  private RealRegistry registry;
  private boolean perTest;

  private RegistryExtension(boolean htpasswd, boolean tls) {
    this(htpasswd, tls, false);
  }

  private RegistryExtension(boolean htpasswd, boolean tls, boolean token) {
    this.htpasswd = htpasswd;
    this.tls = tls;
    this.token = token;
  }

  /** Bearer-token auth (Docker Hub's and GHCR's scheme) from a {@link TokenServer}. */
  public static RegistryExtension token() {
    return new RegistryExtension(false, false, true);
  }

  public static RegistryExtension plain() {
    return new RegistryExtension(false, false);
  }

  public static RegistryExtension htpasswd() {
    return new RegistryExtension(true, false);
  }

  public static RegistryExtension tls() {
    return new RegistryExtension(false, true);
  }

  public static RegistryExtension htpasswdTls() {
    return new RegistryExtension(true, true);
  }

  /** The running registry. */
  public RealRegistry get() {
    if (registry == null) {
      throw new IllegalStateException("registry not started: register the extension with @RegisterExtension");
    }
    return registry;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    registry = startRegistry();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    // Only an instance-field registration misses beforeAll: then it lives for one test.
    if (registry == null) {
      perTest = true;
      registry = startRegistry();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (perTest) {
      stop();
    }
  }

  private RealRegistry startRegistry() throws Exception {
    return token ? RealRegistry.startWithTokenAuth() : RealRegistry.start(htpasswd, tls);
  }

  private void stop() throws Exception {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }
}
