package dev.graft.dockerfile;

import java.util.Objects;

/**
 * One {@code --name=value} (or bare {@code --name}) before an instruction's arguments, e.g.
 * {@code COPY --chmod=755}. {@code value} is raw (quotes removed, variables not yet expanded);
 * null for a bare flag.
 */
public record Flag(String name, String value) {
  public Flag {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return "--" + name + (value == null ? "" : "=" + value);
  }
}
