package dev.graft.dockerfile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage: its {@code FROM} (image or earlier stage, maybe {@code AS name}) and the
 * instructions up to the next {@code FROM}. {@code image} is as written, before variables are
 * expanded; {@code name} is lower-cased, as BuildKit compares stage names.
 */
public record Stage(int index, Optional<String> name, String image, Instruction from, List<Instruction> body) {
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(from, "from");
    body = List.copyOf(body);
  }

  /** How messages call it: {@code stage 'build'} or {@code stage 0}. */
  public String label() {
    return name.map(n -> "stage '" + n + "'").orElse("stage " + index);
  }

  /** The first instruction with this keyword, if any (e.g. the first RUN, for a message). */
  public Optional<Instruction> first(String keyword) {
    return body.stream().filter(i -> i.keyword().equals(keyword)).findFirst();
  }
}
