package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retry policy's arithmetic: backoff, jitter, caps, Retry-After and the total bound. */
class RetryPolicyTest {
  /** No real time passes: sleeps are recorded and move the clock. */
  private static final class FakeTime implements RetryPolicy.Pacer {
    final List<Duration> sleeps = new ArrayList<>();
    long nanos;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public Instant now() {
      return Instant.parse("2026-03-01T12:00:00Z").plusNanos(nanos);
    }

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      nanos += d.toNanos();
    }
  }

  private static RetryPolicy policy(double jitter, FakeTime time) {
    return RetryPolicy.defaults().withMaxAttempts(10).withDelays(Duration.ofMillis(100), Duration.ofSeconds(1))
        .withMaxTotal(Duration.ofMinutes(10)).withJitter(() -> jitter).withPacer(time);
  }

  @Test
  void backsOffExponentiallyUpToTheCap() throws Exception {
    FakeTime time = new FakeTime();
    RetryPolicy.Attempts a = policy(0.999999, time).start();
    for (int i = 0; i < 6; i++) {
      assertThat(a.retry(Optional.empty(), "GET x", "HTTP 503")).isTrue();
    }
    assertThat(time.sleeps).extracting(Duration::toMillis).containsExactly(99L, 199L, 399L, 799L, 999L, 999L);
  }

  @Test
  void jitterWaitsBetweenHalfAndAllOfTheBackoff() {
    FakeTime time = new FakeTime();
    assertThat(policy(0.0, time).delay(4, Optional.empty())).isEqualTo(Duration.ofMillis(200));
    assertThat(policy(0.5, time).delay(4, Optional.empty())).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void stopsAfterTheLastAttempt() throws Exception {
    RetryPolicy.Attempts a = policy(0.5, new FakeTime()).withMaxAttempts(3).start();
    assertThat(a.retry(Optional.empty(), "GET x", "HTTP 503")).isTrue();
    assertThat(a.retry(Optional.empty(), "GET x", "HTTP 503")).isTrue();
    assertThat(a.retry(Optional.empty(), "GET x", "HTTP 503")).isFalse();
    assertThat(a.made()).isEqualTo(3);
  }

  @Test
  void stopsWhenTheNextWaitWouldEndPastTheTotalBudget() throws Exception {
    FakeTime time = new FakeTime();
    RetryPolicy p = policy(0.999999, time).withMaxAttempts(100).withMaxTotal(Duration.ofSeconds(2));
    RetryPolicy.Attempts a = p.start();
    while (a.retry(Optional.empty(), "GET x", "HTTP 503")) {
      time.nanos += Duration.ofMillis(50).toNanos(); // the request itself takes time too
    }
    assertThat(time.nanos).isLessThanOrEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(a.made()).isLessThan(100).isGreaterThan(2);
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDateAndCapsIt() {
    FakeTime time = new FakeTime();
    RetryPolicy p = policy(0.5, time).withMaxRetryAfter(Duration.ofSeconds(30));
    assertThat(p.parseRetryAfter("12")).contains(Duration.ofSeconds(12));
    assertThat(p.parseRetryAfter("Sun, 01 Mar 2026 12:00:05 GMT")).contains(Duration.ofSeconds(5));
    assertThat(p.parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT")).contains(Duration.ZERO);
    assertThat(p.parseRetryAfter("soon")).isEmpty();
    assertThat(p.parseRetryAfter(null)).isEmpty();
    assertThat(p.delay(2, p.parseRetryAfter("3600"))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> RetryPolicy.defaults().withDelays(Duration.ofSeconds(-1), Duration.ZERO))
        .hasMessageContaining("negative");
  }

  @Test
  void retriesOnlyStatusesARepeatMayCure() {
    assertThat(List.of(408, 429, 500, 502, 503, 504)).allMatch(RegistryHttp::retryableStatus);
    assertThat(List.of(400, 401, 403, 404, 405, 409, 413, 416, 501, 505)).noneMatch(RegistryHttp::retryableStatus);
  }
}
