package dev.graft.transfer;

/**
 * Hears what a copy does, so a CLI can render progress; the library itself prints nothing.
 * Blob events arrive from several worker threads at once: implementations must be thread-safe.
 */
public interface CopyListener extends WriteListener {
  CopyListener NONE = new CopyListener() {};

  /** A registry request or transfer failed and is tried again after {@code wait}. */
  default void retrying(String what, String why, java.time.Duration wait, int attempt, int maxAttempts) {}
}
