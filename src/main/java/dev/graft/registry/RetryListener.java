package dev.graft.registry;

import java.time.Duration;

/**
 * Told of each retry before graft waits for it, so a CLI can show "retrying … in 2 s (attempt
 * 2/5)" as it happens instead of going silent for the minutes a retry budget can take. Called from
 * transfer threads: implementations must be thread-safe. The library itself prints nothing.
 */
@FunctionalInterface
public interface RetryListener {
  RetryListener NONE = (what, why, wait, attempt, maxAttempts) -> {};

  /**
   * @param what the operation, e.g. "GET registry.example.com/v2/acme/app/manifests/1.0"
   * @param why what failed, e.g. "HTTP 503" or "connection refused"
   * @param wait how long graft waits before the next try
   * @param attempt the number of the try that follows the wait (2 for the first retry)
   */
  void retrying(String what, String why, Duration wait, int attempt, int maxAttempts);

  /** The usual line: "retrying WHAT (WHY) in 2 s (attempt 2/5)". */
  static String describe(String what, String why, Duration wait, int attempt, int maxAttempts) {
    long ms = wait.toMillis();
    String in = ms < 1000 ? ms + " ms" : ms % 1000 == 0 ? ms / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    return "retrying " + what + " (" + why + ") in " + in + " (attempt " + attempt + "/" + maxAttempts + ")";
  }
}
