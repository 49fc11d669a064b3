package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Index;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything a copy will write, resolved before anything is written: the root to commit, the
 * manifests and indexes below it (children before parents), and each distinct blob once.
 */
record CopyPlan(Blob root, List<Blob> manifests, List<Descriptor> blobs, List<PlatformManifest> platforms) {
  CopyPlan {
    manifests = List.copyOf(manifests);
    blobs = List.copyOf(blobs);
    platforms = List.copyOf(platforms);
  }

  static CopyPlan resolve(ImageSource source, Optional<Platform> platform) throws IOException {
    Blob root = source.root();
    Builder b = new Builder(source);
    if (MediaTypes.isIndex(root.mediaType())) {
      Index index = Index.parse(root);
      if (platform.isPresent()) {
        Descriptor chosen = pick(source, index, platform.get());
        Blob manifest = source.manifest(chosen);
        b.manifest(manifest, chosen.platform());
        return b.build(manifest);
      }
      b.index(root, index, 1);
      return b.build(root);
    }
    if (MediaTypes.isManifest(root.mediaType())) {
      Manifest m = Manifest.parse(root);
      Platform declared = configPlatform(source, m);
      if (platform.isPresent() && declared != null && !declared.matches(platform.get())) {
        throw new OciFormatException(source.ref() + " is a single-platform image for " + declared
            + ", not " + platform.get() + "; drop --platform or pick another image");
      }
      b.manifest(root, declared);
      return b.build(root);
    }
    throw new OciFormatException(source.ref() + " has unsupported media type '" + root.mediaType()
        + "' (graft copies OCI and Docker v2.2 manifests and indexes)");
  }

  private static Descriptor pick(ImageSource source, Index index, Platform wanted) {
    for (Descriptor d : index.manifests()) {
      if (d.platform() != null && d.platform().matches(wanted) && MediaTypes.isManifest(d.mediaType())) {
        return d;
      }
    }
    String available = index.manifests().stream()
        .filter(d -> d.platform() != null)
        .map(d -> d.platform().toString())
        .distinct()
        .collect(Collectors.joining(", "));
    throw new OciFormatException(source.ref() + " has no " + wanted + " image (platforms: "
        + (available.isEmpty() ? "none declared" : available) + ")");
  }

  private static Platform configPlatform(ImageSource source, Manifest m) throws IOException {
    try {
      return ImageConfig.parse(source.readBlob(m.config())).platform();
    } catch (OciFormatException e) {
      return null; // not an image config we understand (an artifact): it has no platform to check
    }
  }

  /** Collects manifests depth-first and blobs in first-seen order, each digest once. */
  private static final class Builder {
    private final ImageSource source;
    private final List<Blob> manifests = new ArrayList<>();
    private final Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    private final List<PlatformManifest> platforms = new ArrayList<>();

    Builder(ImageSource source) {
      this.source = source;
    }

    void index(Blob blob, Index index, int depth) throws IOException {
      for (Descriptor d : index.manifests()) {
        if (MediaTypes.isIndex(d.mediaType())) {
          Index.checkNesting(source.ref(), depth + 1, d.digest());
          Blob child = source.manifest(d);
          index(child, Index.parse(child), depth + 1);
        } else if (MediaTypes.isManifest(d.mediaType())) {
          manifest(source.manifest(d), d.platform());
        } else {
          throw new OciFormatException(source.ref() + ": index entry " + d.digest() + " has unsupported media type '"
              + d.mediaType() + "' (graft copies OCI and Docker v2.2 manifests and indexes)");
        }
      }
      manifests.add(blob);
    }

    void manifest(Blob blob, Platform platform) {
      Manifest m = Manifest.parse(blob);
      blobs.putIfAbsent(m.config().digest(), m.config());
      for (Descriptor l : m.layers()) {
        blobs.putIfAbsent(l.digest(), l);
      }
      manifests.add(blob);
      platforms.add(new PlatformManifest(platform, blob.digest()));
    }

    CopyPlan build(Blob root) {
      return new CopyPlan(root, manifests, new ArrayList<>(blobs.values()), platforms);
    }
  }
}
