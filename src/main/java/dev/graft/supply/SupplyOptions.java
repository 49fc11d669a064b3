package dev.graft.supply;

import dev.graft.oci.Digest;
import dev.graft.sbom.SbomFormat;
import dev.graft.sign.PayloadSigner;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a build writes beside its images: cosign signatures (one per {@code signers}: a key, keyless), an SBOM per
 * platform image in each of {@code sbomFormats} (none: no SBOM), an in-toto SLSA provenance statement per platform
 * image. {@code configFiles}
 * are the build's configuration files by name with their digests (for provenance).
 */
public record SupplyOptions(List<PayloadSigner> signers, List<SbomFormat> sbomFormats, boolean provenance,
    Map<String, Digest> configFiles, String toolVersion) {
  public static final SupplyOptions NONE = new SupplyOptions(List.of(), List.of(), false, Map.of(), "dev");

  public SupplyOptions {
    signers = List.copyOf(signers);
    sbomFormats = List.copyOf(sbomFormats);
    configFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(configFiles));
    Objects.requireNonNull(toolVersion, "toolVersion");
  }

  public boolean any() {
    return !signers.isEmpty() || sbom() || provenance;
  }

  public boolean sbom() {
    return !sbomFormats.isEmpty();
  }
}
