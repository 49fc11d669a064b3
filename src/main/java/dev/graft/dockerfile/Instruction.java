package dev.graft.dockerfile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One instruction of a Dockerfile, as written: {@code keyword} upper-cased, the leading
 * {@code --flags}, the rest of the text ({@code args}, continuation lines joined, comments
 * dropped), and for the instructions that have one ({@code CMD}, {@code ENTRYPOINT}, {@code RUN},
 * {@code SHELL}, {@code COPY}, {@code ADD}, {@code VOLUME}, {@code HEALTHCHECK}'s command) the exec
 * (JSON array) form when {@code args} is one. Variables are not expanded here: that depends on the
 * platform and the values in scope, which the evaluator knows.
 */
public record Instruction(
    String keyword,
    List<Flag> flags,
    String args,
    Optional<List<String>> json,
    int line,
    int endLine) {

  public Instruction {
    Objects.requireNonNull(keyword, "keyword");
    flags = List.copyOf(flags);
    Objects.requireNonNull(args, "args");
    json = Objects.requireNonNull(json, "json").map(List::copyOf);
    if (line < 1 || endLine < line) {
      throw new IllegalArgumentException("bad lines " + line + ".." + endLine);
    }
  }

  /** The value of flag {@code name}, if given (a bare flag has the value "true"). */
  public Optional<String> flag(String name) {
    return flags.stream().filter(f -> f.name().equals(name)).reduce((a, b) -> b)
        .map(f -> f.value() == null ? "true" : f.value());
  }

  /** The arguments split at whitespace (FROM, EXPOSE, and COPY/ADD/VOLUME in their shell form). */
  public List<String> words() {
    String t = args.strip();
    return t.isEmpty() ? List.of() : List.of(t.split("[\\t\\u000B\\f\\r ]+"));
  }

  /** As written, for messages: {@code RUN apk add nodejs}. */
  public String text() {
    StringBuilder b = new StringBuilder(keyword);
    flags.forEach(f -> b.append(' ').append(f));
    if (!args.isEmpty()) {
      b.append(' ').append(args);
    }
    return b.toString();
  }
}
