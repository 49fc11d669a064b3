package dev.graft.dockerfile;

import dev.graft.oci.Healthcheck;
import dev.graft.oci.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Dockerfile's last stage makes of its base image, for one platform, variables expanded:
 * the base ({@code FROM}, empty when it expands to nothing), the config it sets (env values may be
 * templates that use the base image's environment, see {@link ShellWords}) and the files it copies.
 * {@code labelLines} and {@code fromLine} point back at the Dockerfile for messages.
 */
public record ImageSettings(
    Optional<String> base,
    String fromText,
    int fromLine,
    Map<String, ShellWords.Value> env,
    Map<String, String> labels,
    Map<String, Integer> labelLines,
    Optional<String> workdir,
    Optional<String> user,
    Optional<List<String>> entrypoint,
    Optional<List<String>> cmd,
    List<String> ports,
    List<String> volumes,
    Optional<String> stopSignal,
    Optional<Healthcheck> healthcheck,
    List<CopyStep> copies) {

  public ImageSettings {
    Require.nonNull("base, fromText, workdir, user, stopSignal, healthcheck",
        base, fromText, workdir, user, stopSignal, healthcheck);
    env = ordered(env);
    labels = ordered(labels);
    labelLines = ordered(labelLines);
    entrypoint = Objects.requireNonNull(entrypoint, "entrypoint").map(List::copyOf);
    cmd = Objects.requireNonNull(cmd, "cmd").map(List::copyOf);
    ports = List.copyOf(ports);
    volumes = List.copyOf(volumes);
    copies = List.copyOf(copies);
  }

  private static <K, V> Map<K, V> ordered(Map<K, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
