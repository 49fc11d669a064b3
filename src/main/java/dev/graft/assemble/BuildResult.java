package dev.graft.assemble;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.verify.Report;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a build made: each platform's manifest digest (with its layers' digests, for comparing
 * builds), the index digest when one was written, each target written, and how many blobs/bytes
 * were uploaded, mounted from another repository, or skipped because the target had them; and
 * what was written beside the images (signatures, SBOMs, provenance).
 */
public record BuildResult(List<PlatformResult> platforms, Optional<Digest> indexDigest, List<TargetResult> targets,
    Transfer transfer, List<dev.graft.supply.Attachment> attachments) {
  public BuildResult {
    platforms = List.copyOf(platforms);
    Objects.requireNonNull(indexDigest, "indexDigest");
    targets = List.copyOf(targets);
    Objects.requireNonNull(transfer, "transfer");
    attachments = List.copyOf(attachments);
  }

  public BuildResult(List<PlatformResult> platforms, Optional<Digest> indexDigest, List<TargetResult> targets,
      Transfer transfer) {
    this(platforms, indexDigest, targets, transfer, List.of());
  }

  /** One platform's image. {@code layers} are graft's added layers, in order. */
  public record PlatformResult(Platform platform, Digest manifestDigest, Digest configDigest, List<LayerResult> layers,
      Optional<Report> report) {
    public PlatformResult {
      layers = List.copyOf(layers);
    }
  }

  /** {@code cached}: taken from the layer cache rather than written by this build. */
  public record LayerResult(String name, Digest digest, Digest diffId, long size, boolean cached) {}

  /** A destination and the root it now names (an index or a single manifest), under these tags. */
  public record TargetResult(String ref, Digest digest, List<String> tags) {
    public TargetResult {
      tags = List.copyOf(tags);
    }
  }

  /**
   * Blobs per outcome over every target: uploaded to or mounted in a registry, written into a
   * local layout or archive, skipped because the target had them.
   */
  public record Transfer(int uploaded, long bytesUploaded, int mounted, long bytesMounted, int skipped,
      long bytesSkipped, int written, long bytesWritten) {
    public Transfer(int uploaded, long bytesUploaded, int mounted, long bytesMounted, int skipped, long bytesSkipped) {
      this(uploaded, bytesUploaded, mounted, bytesMounted, skipped, bytesSkipped, 0, 0);
    }
  }
}
