package dev.graft.oci;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The image's health check, as Docker's config has it: {@code test} is {@code [NONE]},
 * {@code [CMD, prog, args...]} or {@code [CMD-SHELL, "command"]}. One value for graft.yaml's
 * {@code config.healthcheck} and a Dockerfile's {@code HEALTHCHECK}.
 */
public record Healthcheck(
    List<String> test,
    Optional<Duration> interval,
    Optional<Duration> timeout,
    Optional<Duration> startPeriod,
    Optional<Integer> retries) {

  public Healthcheck {
    test = List.copyOf(test);
    Require.nonNull("interval, timeout, startPeriod, retries", interval, timeout, startPeriod, retries);
    if (test.isEmpty() || !List.of("NONE", "CMD", "CMD-SHELL").contains(test.get(0))) {
      throw new IllegalArgumentException("healthcheck test must start with NONE, CMD or CMD-SHELL: " + test);
    }
  }
}
