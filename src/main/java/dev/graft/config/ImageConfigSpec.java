package dev.graft.config;

import dev.graft.oci.Healthcheck;
import dev.graft.oci.Require;
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
 * {@code ports} are normalised to {@code 8099/tcp} form. {@code expandEnv} names the env values
 * that use the base image's environment (a Dockerfile's {@code ENV PATH=/app/bin:$PATH}): in
 * those, {@code ${NAME}} is the base's value of NAME and {@code $$} a literal {@code $}, filled in
 * when the config is composed; every other value is taken literally.
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
    Optional<Healthcheck> healthcheck,
    java.util.Set<String> expandEnv) {

  public static final ImageConfigSpec EMPTY = new ImageConfigSpec(Map.of(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), List.of(), Map.of(), List.of(), Optional.empty(), Optional.empty());

  /** A config whose env values are all literal. */
  public ImageConfigSpec(Map<String, String> env, Optional<String> workdir, Optional<List<String>> entrypoint,
      Optional<List<String>> cmd, Optional<String> user, List<String> ports, Map<String, String> labels,
      List<String> volumes, Optional<String> stopSignal, Optional<Healthcheck> healthcheck) {
    this(env, workdir, entrypoint, cmd, user, ports, labels, volumes, stopSignal, healthcheck, java.util.Set.of());
  }

  public ImageConfigSpec {
    env = ordered(env);
    labels = ordered(labels);
    Require.nonNull("workdir, user, stopSignal, healthcheck", workdir, user, stopSignal, healthcheck);
    entrypoint = Objects.requireNonNull(entrypoint, "entrypoint").map(List::copyOf);
    cmd = Objects.requireNonNull(cmd, "cmd").map(List::copyOf);
    ports = List.copyOf(ports);
    volumes = List.copyOf(volumes);
    expandEnv = java.util.Set.copyOf(expandEnv);
    if (!env.keySet().containsAll(expandEnv)) {
      throw new IllegalArgumentException("expandEnv names a variable env does not set: " + expandEnv);
    }
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
    return new ImageConfigSpec(env, workdir, entrypoint, cmd, user, ports, merged, volumes, stopSignal, healthcheck,
        expandEnv);
  }

  /** Labels under these (these win), e.g. derived HA labels that the user may override. */
  public ImageConfigSpec withDefaultLabels(Map<String, String> defaults) {
    Map<String, String> merged = new LinkedHashMap<>(defaults);
    merged.putAll(labels);
    return new ImageConfigSpec(env, workdir, entrypoint, cmd, user, ports, merged, volumes, stopSignal, healthcheck,
        expandEnv);
  }

  /**
   * These settings over {@code lower} (an app's Dockerfile under its graft.yaml): env and labels
   * merged by name (these win), ports and volumes joined, every other setting these have replaces
   * the lower one's.
   */
  public ImageConfigSpec over(ImageConfigSpec lower) {
    Map<String, String> e = new LinkedHashMap<>(lower.env);
    e.putAll(env);
    java.util.Set<String> expand = new java.util.HashSet<>(lower.expandEnv);
    expand.removeAll(env.keySet());
    expand.addAll(expandEnv);
    Map<String, String> l = new LinkedHashMap<>(lower.labels);
    l.putAll(labels);
    List<String> p = new java.util.ArrayList<>(lower.ports);
    ports.stream().filter(x -> !p.contains(x)).forEach(p::add);
    List<String> v = new java.util.ArrayList<>(lower.volumes);
    volumes.stream().filter(x -> !v.contains(x)).forEach(v::add);
    return new ImageConfigSpec(e, workdir.or(lower::workdir), entrypoint.or(lower::entrypoint),
        entrypoint.isPresent() && cmd.isEmpty() ? Optional.empty() : cmd.or(lower::cmd), user.or(lower::user), p, l, v,
        stopSignal.or(lower::stopSignal), healthcheck.or(lower::healthcheck), expand);
  }

  private static Map<String, String> ordered(Map<String, String> m) {
    Map<String, String> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k)));
    return Collections.unmodifiableMap(copy);
  }
}
