package dev.graft.config;

import dev.graft.oci.MediaTypes.Compression;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated build, one {@link PlatformPlan} per platform, made without network or image access.
 * {@code indexTargets} receive one multi-platform index over all platforms' images;
 * {@code epoch} is the timestamp for every file and the image's {@code created}
 * ({@code SOURCE_DATE_EPOCH}, else 1970-01-01T00:00:01Z: a fixed time keeps builds
 * reproducible, and some tools treat 0 as "unset"); {@code notes} are things the user should
 * know (e.g. ignored {@code build.yaml} args), for the CLI to print. {@code compressionLevel} is
 * the level of layers written with {@code compression} (gzip 1–9, zstd 1–19; 0: that algorithm's
 * default, gzip 6 / zstd 3); a layer that names another algorithm uses that one's default.
 */
public record BuildPlan(
    List<PlatformPlan> platforms,
    List<ImageTarget> indexTargets,
    Instant epoch,
    ManifestFormat format,
    Compression compression,
    int compressionLevel,
    List<String> notes) {

  public static final Instant DEFAULT_EPOCH = Instant.ofEpochSecond(1);

  public BuildPlan {
    platforms = List.copyOf(platforms);
    indexTargets = List.copyOf(indexTargets);
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(compression, "compression");
    notes = List.copyOf(notes);
    if (compressionLevel < 0 || compressionLevel > (compression == Compression.ZSTD ? 19 : 9)) {
      throw new IllegalArgumentException("compression level " + compressionLevel + " out of range for " + compression);
    }
    if (platforms.isEmpty()) {
      throw new IllegalArgumentException("a build plan needs at least one platform");
    }
    if (platforms.stream().map(PlatformPlan::platform).distinct().count() != platforms.size()) {
      throw new IllegalArgumentException("a platform appears twice in the build plan");
    }
  }

  /** The layer options' level for a layer compressed with {@code c}: the plan's level, or 0 (default). */
  public int levelFor(Compression c) {
    return c == compression ? compressionLevel : 0;
  }

  /** The plan of one platform. */
  public PlatformPlan platform(dev.graft.oci.Platform p) {
    return platforms.stream().filter(pp -> pp.platform().matches(p)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no plan for platform " + p));
  }
}
