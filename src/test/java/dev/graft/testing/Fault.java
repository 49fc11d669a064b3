package dev.graft.testing;

import java.time.Duration;

/** What {@link FaultProxy} does to a request that a rule matches. */
public sealed interface Fault {
  /** Answers with this status (and Retry-After, when not null) without asking the registry. */
  record Status(int code, String retryAfter) implements Fault {}

  /** Reads the request, forwards nothing, and resets the connection: no response at all. */
  /** Answers {@code status} with a registry error document naming {@code code} (after reading the request). */
  record ErrorCode(int status, String code) implements Fault {}

  /** Answers 401 with a {@code WWW-Authenticate} header (after reading the request body). */
  record Challenge(String header) implements Fault {}

  record ResetBeforeResponse() implements Fault {}

  /** Forwards the request head and {@code afterBytes} of its body, then resets both connections. */
  record ResetMidRequest(long afterBytes) implements Fault {}

  /** Forwards the request, then only {@code afterBytes} of the response body, then closes. */
  record TruncateBody(long afterBytes) implements Fault {}

  /** Waits {@code delay} before forwarding; then forwards, or resets when {@code thenReset}. */
  record StallBeforeResponse(Duration delay, boolean thenReset) implements Fault {}

  /** Forwards {@code afterBytes} of the response body, waits {@code delay}, then sends the rest. */
  record StallBody(long afterBytes, Duration delay) implements Fault {}

  /**
   * Answers a blob GET with 307 to the proxy's second listener on another host name (127.0.0.2),
   * as registries send downloads to object storage; that listener serves the blob.
   */
  record RedirectToObjectStore() implements Fault {}

  static Fault status(int code) {
    return new Status(code, null);
  }

  /** {@code status} with a registry error of this code, e.g. 400 MANIFEST_BLOB_UNKNOWN. */
  static Fault error(int status, String code) {
    return new ErrorCode(status, code);
  }

  /** 401 with this {@code WWW-Authenticate} challenge, as when a token expires in the middle of a push. */
  static Fault unauthorized(String challenge) {
    return new Challenge(challenge);
  }

  static Fault tooManyRequests(String retryAfter) {
    return new Status(429, retryAfter);
  }

  static Fault reset() {
    return new ResetBeforeResponse();
  }

  static Fault resetMidRequest(long afterBytes) {
    return new ResetMidRequest(afterBytes);
  }

  static Fault truncate(long afterBytes) {
    return new TruncateBody(afterBytes);
  }

  static Fault stall(Duration delay) {
    return new StallBeforeResponse(delay, false);
  }

  static Fault stallThenReset(Duration delay) {
    return new StallBeforeResponse(delay, true);
  }

  static Fault stallBody(long afterBytes, Duration delay) {
    return new StallBody(afterBytes, delay);
  }

  static Fault redirectToObjectStore() {
    return new RedirectToObjectStore();
  }
}
