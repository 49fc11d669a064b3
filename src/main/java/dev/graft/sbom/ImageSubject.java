package dev.graft.sbom;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an SBOM describes: one platform's image (its name and manifest digest), the base it was
 * built on (when known), where each of its layers came from, its environment (for the loader
 * rules), the time to write into the document (the build's SOURCE_DATE_EPOCH, never the clock) and
 * the version of graft that writes it.
 */
public record ImageSubject(String name, Digest manifestDigest, Platform platform, Optional<String> baseImage,
    Optional<Digest> baseDigest, List<LayerOrigin> layers, List<String> env, Instant time, String toolVersion) {
  public ImageSubject {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(baseImage, "baseImage");
    Objects.requireNonNull(baseDigest, "baseDigest");
    layers = List.copyOf(layers);
    env = List.copyOf(env);
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(toolVersion, "toolVersion");
  }
}
