package dev.graft.transfer;

import dev.graft.oci.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What a copy wrote: the root (index or manifest) the destination now names, the manifest of
 * each platform, and how many blob bytes were copied or skipped because the destination had them.
 */
public record CopyResult(
    Digest rootDigest,
    String rootMediaType,
    List<PlatformManifest> manifests,
    int blobsCopied,
    long bytesCopied,
    int blobsSkipped,
    long bytesSkipped) {
  public CopyResult {
    Objects.requireNonNull(rootDigest, "rootDigest");
    Objects.requireNonNull(rootMediaType, "rootMediaType");
    manifests = List.copyOf(manifests);
    if (blobsCopied < 0 || bytesCopied < 0 || blobsSkipped < 0 || bytesSkipped < 0) {
      throw new IllegalArgumentException("negative counts in copy result");
    }
  }
}
