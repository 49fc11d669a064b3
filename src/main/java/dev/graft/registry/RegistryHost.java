package dev.graft.registry;

import dev.graft.oci.ImageRef;
import java.util.Locale;

/**
 * One registry as graft talks to it: the name users write ({@code docker.io}, {@code host:port}),
 * the authority the API is served from, and the transport policy that follows from it.
 *
 * <p>Policy (documented in the CLI help): a registry named insecure may use TLS without
 * certificate checks, or plain HTTP when it does not speak TLS. A loopback registry (localhost,
 * 127.0.0.0/8, ::1) may use plain HTTP when it does not speak TLS, but its certificate is still
 * verified when it does: nothing on the network can intercept loopback traffic, yet a TLS
 * registry that fails verification is more likely a mistake than intended. Every other registry
 * is reached only over verified TLS.
 *
 * @param name the registry as written in image references
 * @param apiAuthority host[:port] that serves /v2/ (Docker Hub's differs from its name)
 * @param insecure named with --insecure-registry
 * @param loopback on this machine
 */
record RegistryHost(String name, String apiAuthority, boolean insecure, boolean loopback) {

  static RegistryHost of(ImageRef.Registry ref, RegistryOptions options) {
    String name = ref.registry();
    String api = name.equals(ImageRef.Registry.DOCKER_HUB) ? "registry-1.docker.io" : name;
    return new RegistryHost(name, api, options.isInsecure(name), isLoopback(hostOnly(name)));
  }

  /** May the registry be reached over plain HTTP when it does not speak TLS? */
  boolean plainHttpAllowed() {
    return insecure || loopback;
  }

  /** {@code host:port} → {@code host}; keeps bracketed IPv6 literals whole. */
  static String hostOnly(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end < 0 ? registry : registry.substring(0, end + 1);
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.[0-9]{1,3}){3}");
  }

  /** The hint printed when credentials are missing or refused. */
  String loginHint() {
    return "log in with 'docker login " + name + "' or pass --creds USER:PASS / GRAFT_USERNAME and GRAFT_PASSWORD";
  }
}
