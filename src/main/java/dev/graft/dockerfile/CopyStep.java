package dev.graft.dockerfile;

import dev.graft.oci.Require;
import java.util.List;
import java.util.Optional;

/**
 * One {@code COPY} (or local {@code ADD}) of the image, variables expanded: {@code sources} are
 * context-relative paths that exist ("" is the whole context) or, with {@code fromImage}, absolute
 * paths in that image; {@code destination} is absolute, and a directory when {@code intoDirectory}
 * (a trailing {@code /}, several sources, or a directory source); {@code chmod} and {@code chown}
 * as given ({@code 755}, {@code u+x}; {@code 1000:1000}, {@code app}); {@code excludes} from
 * {@code --exclude}. {@code line} and {@code text} point at the instruction for messages.
 */
public record CopyStep(
    int line,
    String text,
    List<String> sources,
    String destination,
    boolean intoDirectory,
    Optional<String> chmod,
    Optional<String> chown,
    List<String> excludes,
    Optional<String> fromImage) {

  public CopyStep {
    Require.nonNull("text, destination, chmod, chown, fromImage", text, destination, chmod, chown, fromImage);
    sources = List.copyOf(sources);
    excludes = List.copyOf(excludes);
    if (sources.isEmpty() || !destination.startsWith("/")) {
      throw new IllegalArgumentException("a copy needs sources and an absolute destination: " + text);
    }
  }
}
