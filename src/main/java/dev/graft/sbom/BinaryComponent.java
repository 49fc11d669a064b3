package dev.graft.sbom;

import dev.graft.oci.Require;
import java.util.List;
import java.util.Optional;

/**
 * An ELF file graft grafted: a program, a Node addon, or a library or loader the closure brought
 * for them. {@code neededBy} are the grafted files that load it (their paths), {@code needs} the
 * files it loads (grafted or the base's), both as the image's own loader resolves them.
 */
public record BinaryComponent(String path, Kind kind, int layer, String name, Optional<String> version,
    String sha256, List<String> neededBy, List<String> needs) {
  /** What the file is to the image. */
  public enum Kind { PROGRAM, ADDON, LIBRARY }

  public BinaryComponent {
    Require.nonNull("path, kind, name, version, sha256", path, kind, name, version, sha256);
    neededBy = List.copyOf(neededBy);
    needs = List.copyOf(needs);
  }
}
