package dev.graft.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An HTTP response whose body has not been read yet. Header names are matched ignoring case.
 * The body must be read to its end or closed ({@link #discard}) so that the connection is
 * released (and reused when it was read to its end).
 */
final class Response {
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;

  /** {@code headers}: each name's values in the order received. */
  Response(int status, Map<String, List<String>> headers, InputStream body) {
    this.status = status;
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> {
      if (k != null && v != null && !v.isEmpty()) {
        h.put(k, List.copyOf(v));
      }
    });
    this.headers = h;
    this.body = body;
  }

  int status() {
    return status;
  }

  /** The header's first value, in the order received. */
  Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The header's value as a number; empty when absent or not a number. */
  OptionalLong headerAsLong(String name) {
    Optional<String> v = header(name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.get().trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  InputStream body() {
    return body;
  }

  /** Closes the body unread; the connection is then dropped or drained in the background. */
  void discard() {
    try {
      body.close();
    } catch (IOException e) {
      // Nothing useful to do: the connection is dropped rather than reused.
    }
  }
}
