package dev.graft.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** HEALTHCHECK as the image config holds it: {@code test} is {@code [NONE]}, {@code [CMD, …]} or {@code [CMD-SHELL, "…"]}. */
public record Healthcheck(List<String> test, Optional<Duration> interval, Optional<Duration> timeout,
    Optional<Duration> startPeriod, Optional<Integer> retries) {
  public Healthcheck {
    test = List.copyOf(test);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    Objects.requireNonNull(retries, "retries");
  }
}
