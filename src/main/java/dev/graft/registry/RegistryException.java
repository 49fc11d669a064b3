package dev.graft.registry;

import java.io.IOException;
import java.util.List;

/**
 * A registry refused or failed a request. Carries what a caller needs to decide and to explain:
 * the registry, repository, operation, HTTP status (0 when no response came) and the registry's
 * error codes. The message is one line and never holds a credential.
 */
public class RegistryException extends IOException {
  private final String registry;
  private final String repository;
  private final String operation;
  private final int status;
  private final List<String> errorCodes;
  private final boolean retryable;
  private java.time.Duration retryAfter;

  public RegistryException(String message, String registry, String repository, String operation, int status,
      List<String> errorCodes, boolean retryable, Throwable cause) {
    super(message, cause);
    this.registry = registry;
    this.repository = repository;
    this.operation = operation;
    this.status = status;
    this.errorCodes = List.copyOf(errorCodes);
    this.retryable = retryable;
  }

  public String registry() {
    return registry;
  }

  public String repository() {
    return repository;
  }

  /** What was being done, e.g. "pull of manifest latest" or "push of blob sha256:…". */
  public String operation() {
    return operation;
  }

  /** The HTTP status, or 0 when the registry could not be reached or gave no response. */
  public int status() {
    return status;
  }

  /** The registry's error codes (e.g. UNAUTHORIZED, BLOB_UNKNOWN), in the order given. */
  public List<String> errorCodes() {
    return errorCodes;
  }

  /** How long the registry asked to wait before trying again (Retry-After), when it said. */
  public java.util.Optional<java.time.Duration> retryAfter() {
    return java.util.Optional.ofNullable(retryAfter);
  }

  /** Records the registry's Retry-After (set once, where the response is read). */
  RegistryException withRetryAfter(java.util.Optional<java.time.Duration> d) {
    this.retryAfter = d.orElse(null);
    return this;
  }

  /** Whether the same request may succeed when tried again (network failure, 5xx, 429). */
  public boolean retryable() {
    return retryable;
  }
}
