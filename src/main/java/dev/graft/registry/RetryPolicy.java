package dev.graft.registry;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When and how long to wait before repeating a request that failed in a way a repeat may cure
 * (network failure, timeout, 5xx, 408, 429). Exponential backoff with jitter (so many CI jobs
 * hit by the same outage do not return in step), a registry's Retry-After honoured up to a cap,
 * and a bound on the attempts and on the total time spent.
 *
 * @param maxAttempts tries per request, the first included (1 = never retry)
 * @param baseDelay wait before the second try; doubled for each further try
 * @param maxDelay cap on one wait computed by backoff
 * @param maxRetryAfter cap on one wait a registry asks for with Retry-After
 * @param maxTotal no retry starts once this much time has passed since the first try
 * @param requestTimeout how long to wait for a response's headers before giving the try up
 * @param jitter a source of numbers in [0, 1): the wait is between half and all of the backoff
 * @param pacer the clock and sleep used (tests pass a recording one)
 * @param listener told of each retry before the wait
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
    Duration maxTotal, Duration requestTimeout, DoubleSupplier jitter, Pacer pacer, RetryListener listener) {

  /** Time as the retry loop sees it: monotonic for budgets, wall-clock only to read HTTP dates. */
  public interface Pacer {
    long nanoTime();

    Instant now();

    void sleep(Duration d) throws InterruptedIOException;

    Pacer SYSTEM = new Pacer() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public void sleep(Duration d) throws InterruptedIOException {
        try {
          Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to retry");
        }
      }
    };
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    for (Duration d : new Duration[] {baseDelay, maxDelay, maxRetryAfter, maxTotal, requestTimeout}) {
      if (Objects.requireNonNull(d, "durations").isNegative()) {
        throw new IllegalArgumentException("retry durations must not be negative, got " + d);
      }
    }
    if (requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(pacer, "pacer");
    Objects.requireNonNull(listener, "listener");
  }

  /** 5 tries, 0.5 s doubling to at most 15 s, Retry-After up to 60 s, 3 minutes in all, 60 s per response. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofSeconds(60),
        Duration.ofMinutes(3), Duration.ofSeconds(60), () -> ThreadLocalRandom.current().nextDouble(), Pacer.SYSTEM,
        RetryListener.NONE);
  }

  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, baseDelay, maxDelay, maxRetryAfter, maxTotal, requestTimeout, jitter, pacer, listener);
  }

  public RetryPolicy withDelays(Duration base, Duration max) {
    return new RetryPolicy(maxAttempts, base, max, maxRetryAfter, maxTotal, requestTimeout, jitter, pacer, listener);
  }

  public RetryPolicy withMaxRetryAfter(Duration d) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, d, maxTotal, requestTimeout, jitter, pacer, listener);
  }

  public RetryPolicy withMaxTotal(Duration d) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, d, requestTimeout, jitter, pacer, listener);
  }

  public RetryPolicy withRequestTimeout(Duration d) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, maxTotal, d, jitter, pacer, listener);
  }

  public RetryPolicy withJitter(DoubleSupplier j) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, maxTotal, requestTimeout, j, pacer, listener);
  }

  public RetryPolicy withPacer(Pacer p) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, maxTotal, requestTimeout, jitter, p, listener);
  }

  /** The same policy, telling {@code l} of each retry. */
  public RetryPolicy withListener(RetryListener l) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, maxTotal, requestTimeout, jitter, pacer, l);
  }

  /** Starts counting tries and time for one request (or one restartable transfer). */
  public Attempts start() {
    return new Attempts(this, pacer.nanoTime());
  }

  /**
   * The wait before try {@code next} (2 = first retry): Retry-After when the registry gave one
   * (capped), else backoff with jitter.
   */
  Duration delay(int next, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get();
      return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
    }
    long base = baseDelay.toNanos();
    int doublings = Math.min(next - 2, 30);
    long backoff = Math.min(maxDelay.toNanos(), doublings <= 0 ? base : saturatingShift(base, doublings));
    double j = Math.min(Math.max(jitter.getAsDouble(), 0.0), 1.0);
    return Duration.ofNanos((long) (backoff / 2.0 + backoff / 2.0 * j));
  }

  private static long saturatingShift(long value, int bits) {
    return value > (Long.MAX_VALUE >> bits) ? Long.MAX_VALUE : value << bits;
  }

  /**
   * Reads a Retry-After header: delta-seconds or an HTTP date (RFC 9110). Unreadable or past
   * values mean "no advice" (backoff applies).
   */
  public Optional<Duration> parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String v = header.trim();
    if (v.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(pacer.now(), at);
      return d.isNegative() ? Optional.of(Duration.ZERO) : Optional.of(d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The tries of one request: asks whether another is allowed and waits before it. */
  public static final class Attempts {
    private final RetryPolicy policy;
    private final long startNanos;
    private int made = 1;

    private Attempts(RetryPolicy policy, long startNanos) {
      this.policy = policy;
      this.startNanos = startNanos;
    }

    /** Tries made so far (1 while the first is under way). */
    public int made() {
      return made;
    }

    /**
     * Waits before the next try and returns true, or returns false when the tries or the time
     * budget are used up (the wait would end past the budget). {@code what} and {@code why} name
     * the operation and its failure for the policy's {@link RetryListener}.
     */
    public boolean retry(Optional<Duration> retryAfter, String what, String why) throws InterruptedIOException {
      if (made >= policy.maxAttempts) {
        return false;
      }
      Duration wait = policy.delay(made + 1, retryAfter);
      long elapsed = policy.pacer.nanoTime() - startNanos;
      if (elapsed + wait.toNanos() > policy.maxTotal.toNanos()) {
        return false;
      }
      policy.listener.retrying(what, why, wait, made + 1, policy.maxAttempts);
      policy.pacer.sleep(wait);
      made++;
      return true;
    }
  }
}
