package dev.graft.supply;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.oci.Require;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provenance statement says about one platform image: the image, the configuration files
 * that defined the build, the images it took files from and the local inputs' content hashes.
 */
public record ProvenanceInput(String subjectName, Digest manifestDigest, Platform platform,
    Map<String, Digest> configFiles, Dependency base, Optional<Dependency> builder, List<Dependency> localInputs,
    Instant epoch, String toolVersion) {
  /** A resolved input: an image reference and its manifest digest, or a local directory and its layer's diffID. */
  public record Dependency(String name, String uri, Digest digest) {
    public Dependency {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(digest, "digest");
    }
  }

  public ProvenanceInput {
    Require.nonNull("subjectName, manifestDigest, platform, base, builder, epoch, toolVersion",
        subjectName, manifestDigest, platform, base, builder, epoch, toolVersion);
    configFiles = Map.copyOf(configFiles);
    localInputs = List.copyOf(localInputs);
  }
}
