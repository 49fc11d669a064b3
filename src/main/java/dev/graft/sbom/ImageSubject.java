package dev.graft.sbom;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.oci.Require;
import java.time.Instant;
import java.util.List;
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
    Require.nonNull("name, manifestDigest, platform, baseImage, baseDigest, time, toolVersion",
        name, manifestDigest, platform, baseImage, baseDigest, time, toolVersion);
    layers = List.copyOf(layers);
    env = List.copyOf(env);
  }
}
