package dev.graft.fs;

import dev.graft.oci.Printable;
import java.util.List;

/** A selected path the image does not have; the message lists the closest existing paths. */
public class PathNotFoundException extends RuntimeException {
  private final String path;
  private final List<String> closest;

  public PathNotFoundException(String image, String path, List<String> closest) {
    super(image + " has no " + Printable.path(path) + (closest.isEmpty() ? ""
        : "; closest existing: " + String.join(", ", closest.stream().map(Printable::path).toList())));
    this.path = path;
    this.closest = List.copyOf(closest);
  }

  public String path() {
    return path;
  }

  public List<String> closest() {
    return closest;
  }
}
