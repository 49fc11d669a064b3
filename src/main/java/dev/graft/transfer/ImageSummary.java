package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Index;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code graft inspect} shows: the root an image reference names and, per platform, its
 * manifest, config and layers. Built from verified reads of the source.
 */
public record ImageSummary(ImageRef ref, Blob root, List<PlatformImage> images) {
  public ImageSummary {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(root, "root");
    images = List.copyOf(images);
  }

  /**
   * One platform's image: its manifest (exact bytes and parsed), its config, its platform.
   * {@code config} is null for an artifact (a manifest whose config is not an image config).
   */
  public record PlatformImage(Platform platform, Blob manifestBlob, Manifest manifest, ImageConfig config) {
    public PlatformImage {
      Objects.requireNonNull(manifestBlob, "manifestBlob");
      Objects.requireNonNull(manifest, "manifest");
    }

    public boolean isArtifact() {
      return config == null;
    }

    public long layersSize() {
      return manifest.layers().stream().mapToLong(Descriptor::size).sum();
    }
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(root.mediaType());
  }

  /**
   * Reads the image; with a platform, only that platform's image (an index entry or the single
   * manifest when it matches). Nested indexes are flattened.
   */
  public static ImageSummary read(ImageSource source, Optional<Platform> platform) throws IOException {
    Blob root = source.root();
    List<PlatformImage> images = new ArrayList<>();
    if (MediaTypes.isIndex(root.mediaType())) {
      collect(source, Index.parse(root), platform, images, 1);
      if (platform.isPresent() && images.isEmpty()) {
        throw new OciFormatException(source.ref() + " has no " + platform.get() + " image");
      }
    } else if (MediaTypes.isManifest(root.mediaType())) {
      PlatformImage image = image(source, root, null);
      if (platform.isPresent() && image.platform() != null && !image.platform().matches(platform.get())) {
        throw new OciFormatException(source.ref() + " is a single-platform image for " + image.platform()
            + ", not " + platform.get());
      }
      images.add(image);
    } else {
      throw new OciFormatException(source.ref() + " has unsupported media type '" + root.mediaType() + "'");
    }
    return new ImageSummary(source.ref(), root, images);
  }

  private static void collect(ImageSource source, Index index, Optional<Platform> platform, List<PlatformImage> out,
      int depth) throws IOException {
    for (Descriptor d : index.manifests()) {
      if (MediaTypes.isIndex(d.mediaType())) {
        Index.checkNesting(source.ref(), depth + 1, d.digest());
        collect(source, Index.parse(source.manifest(d)), platform, out, depth + 1);
      } else if (platform.isEmpty() || (d.platform() != null && d.platform().matches(platform.get()))) {
        out.add(image(source, source.manifest(d), d.platform()));
      }
    }
  }

  private static PlatformImage image(ImageSource source, Blob blob, Platform declared) throws IOException {
    Manifest m = Manifest.parse(blob);
    String type = m.config().mediaType();
    if (!type.equals(MediaTypes.OCI_CONFIG) && !type.equals(MediaTypes.DOCKER_CONFIG)) {
      return new PlatformImage(declared, blob, m, null); // an artifact (e.g. a Helm chart): no image config
    }
    ImageConfig config = ImageConfig.parse(source.readBlob(m.config()));
    return new PlatformImage(declared != null ? declared : config.platform(), blob, m, config);
  }
}
