package dev.graft.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the new image's config changes relative to the base's. An empty Optional means "keep the
 * base's value" (HA bases set {@code /init} as entrypoint, which an add-on usually keeps); an
 * empty list clears it. {@code env} and {@code labels} are merged over the base's, in file order.
 * {@code ports} are normalised to {@code 8099/tcp} form.
 */
public record ImageConfigSpec(
    Map<String, String> env,
    Optional<String> workdir,
    Optional<List<String>> entrypoint,
    Optional<List<String>> cmd,
    Optional<String> user,
    List<String> ports,
    Map<String, String> labels,
    List<String> volumes,
    Optional<String> stopSignal,
    Optional<HealthcheckSpec> healthcheck) {

  public static final ImageConfigSpec EMPTY = new ImageConfigSpec(Map.of(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), List.of(), Map.of(), List.of(), Optional.empty(), Optional.empty());

  public ImageConfigSpec {
    env = ordered(env);
    labels = ordered(labels);
    Objects.requireNonNull(workdir, "workdir");
    entrypoint = Objects.requireNonNull(entrypoint, "entrypoint").map(List::copyOf);
    cmd = Objects.requireNonNull(cmd, "cmd").map(List::copyOf);
    Objects.requireNonNull(user, "user");
    ports = List.copyOf(ports);
    volumes = List.copyOf(volumes);
    Objects.requireNonNull(stopSignal, "stopSignal");
    Objects.requireNonNull(healthcheck, "healthcheck");
    workdir.ifPresent(w -> {
      if (!w.startsWith("/")) {
        throw new IllegalArgumentException("workdir must be absolute: " + w);
      }
    });
  }

  /** A copy with more labels merged over these (later wins). */
  public ImageConfigSpec withLabels(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(labels);
    merged.putAll(more);
    return new ImageConfigSpec(env, workdir, entrypoint, cmd, user, ports, merged, volumes, stopSignal, healthcheck);
  }

  /** Labels under these (these win), e.g. derived HA labels that the user may override. */
  public ImageConfigSpec withDefaultLabels(Map<String, String> defaults) {
    Map<String, String> merged = new LinkedHashMap<>(defaults);
    merged.putAll(labels);
    return new ImageConfigSpec(env, workdir, entrypoint, cmd, user, ports, merged, volumes, stopSignal, healthcheck);
  }

  private static Map<String, String> ordered(Map<String, String> m) {
    Map<String, String> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k)));
    return Collections.unmodifiableMap(copy);
  }
}
