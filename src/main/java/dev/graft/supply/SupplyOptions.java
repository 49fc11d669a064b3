package dev.graft.supply;

import dev.graft.oci.Digest;
import dev.graft.sign.SigningKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a build writes beside its images: cosign signatures ({@code key}), a CycloneDX SBOM per
 * platform image, an in-toto SLSA provenance statement per platform image. {@code configFiles}
 * are the build's configuration files by name with their digests (for provenance).
 */
public record SupplyOptions(Optional<SigningKey> key, boolean sbom, boolean provenance,
    Map<String, Digest> configFiles, String toolVersion) {
  public static final SupplyOptions NONE = new SupplyOptions(Optional.empty(), false, false, Map.of(), "dev");

  public SupplyOptions {
    Objects.requireNonNull(key, "key");
    configFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(configFiles));
    Objects.requireNonNull(toolVersion, "toolVersion");
  }

  public boolean any() {
    return key.isPresent() || sbom || provenance;
  }
}
