package dev.graft.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP/1.1 request as {@link Transport} sends it.
 *
 * @param headers request headers; {@code Accept} defaults to {@code *}{@code /*}
 * @param body the request body, opened afresh for every try, or null for none
 * @param timeout how long connecting, and each wait for response bytes, may take
 */
record Request(String method, URI uri, Map<String, String> headers, Body body, Duration timeout) {
  Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(timeout, "timeout");
  }

  /** A request body: its length (-1 when unknown: sent chunked) and a fresh stream of it per try. */
  interface Body {
    long length();

    InputStream open() throws IOException;

    static Body of(byte[] bytes) {
      byte[] copy = bytes.clone();
      return new Body() {
        @Override
        public long length() {
          return copy.length;
        }

        @Override
        public InputStream open() {
          return new ByteArrayInputStream(copy);
        }
      };
    }
  }
}
