package dev.graft.assemble;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Platform;
import dev.graft.verify.Report;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One platform's finished image, not yet written anywhere: the base's layers by reference (their
 * blobs stay in {@code base.source()}), graft's layers on disk, the config and manifest bytes.
 */
record AssembledImage(Platform platform, ResolvedImage base, List<AddedLayer> added, Blob config, Blob manifest,
    Optional<Report> report) {
  AssembledImage {
    Objects.requireNonNull(platform, "platform");
    added = List.copyOf(added);
    Objects.requireNonNull(report, "report");
  }

  Descriptor indexEntry() {
    return manifest.descriptor().withPlatform(platform);
  }
}
