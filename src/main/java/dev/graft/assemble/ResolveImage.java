package dev.graft.assemble;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Index;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Step "resolve": the reference's root → this platform's manifest (through an index when there is
 * one) → its config. A single-platform image whose config names another platform is refused: a
 * base of the wrong architecture would only fail at run time.
 */
final class ResolveImage {
  private final ImageSource source;
  private final Platform platform;
  private final ManifestMemo memo;

  ResolveImage(ImageSource source, Platform platform) {
    this(source, platform, ManifestMemo.none());
  }

  /** {@code memo}: where manifests and configs already fetched by digest are kept. */
  ResolveImage(ImageSource source, Platform platform, ManifestMemo memo) {
    this.source = source;
    this.platform = platform;
    this.memo = memo;
  }

  ResolvedImage run() throws IOException {
    Blob root = source.root();
    Blob manifestBlob = root;
    if (MediaTypes.isIndex(root.mediaType())) {
      Index index = Index.parse(root);
      List<Descriptor> matching = index.manifests().stream()
          .filter(d -> d.platform() != null && d.platform().matches(platform)).toList();
      if (matching.isEmpty()) {
        String have = index.manifests().stream().map(d -> String.valueOf(d.platform()))
            .collect(Collectors.joining(", "));
        throw new OciFormatException(source.ref() + " has no image for " + platform + " (it has: " + have + ")");
      }
      manifestBlob = memo.manifest(source, matching.get(0));
    }
    Manifest manifest = Manifest.parse(manifestBlob);
    Blob configBlob = memo.config(source, manifest.config());
    ImageConfig config = ImageConfig.parse(configBlob);
    Platform declared = config.platform();
    if (declared != null && !declared.matches(platform)) {
      throw new OciFormatException(source.ref() + " is an image for " + declared + ", not " + platform);
    }
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new OciFormatException(source.ref() + ": its config lists " + config.diffIds().size()
          + " diff_ids for " + manifest.layers().size() + " layers");
    }
    return new ResolvedImage(source, manifestBlob, manifest, configBlob, config);
  }
}
