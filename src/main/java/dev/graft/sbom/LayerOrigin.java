package dev.graft.sbom;

import dev.graft.oci.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one layer of the image came from. {@code name} is graft's layer name (empty for the
 * base's layers); {@code source} says in words where its files came from ("builder image
 * node:20", "local directory dist"); {@code sourceImage}/{@code sourceDigest} name the image and
 * manifest digest the files were taken from, when the build knows them.
 */
public record LayerOrigin(int index, Digest digest, boolean fromBase, String name, String source,
    Optional<String> sourceImage, Optional<Digest> sourceDigest) {
  public LayerOrigin {
    Objects.requireNonNull(digest, "digest");
    name = name == null ? "" : name;
    source = source == null ? "" : source;
    Objects.requireNonNull(sourceImage, "sourceImage");
    Objects.requireNonNull(sourceDigest, "sourceDigest");
  }
}
