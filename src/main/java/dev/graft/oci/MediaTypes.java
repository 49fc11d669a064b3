package dev.graft.oci;

import java.util.Set;

/** Media types graft reads and writes. */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDIST_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_FOREIGN_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
  public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

  /**
   * The Docker schema 2 media type of a layer, for a Docker manifest: OCI gzip layers are the same
   * bytes under another name; null for a layer Docker manifests cannot hold (zstd, uncompressed).
   */
  public static String asDockerLayer(String mediaType) {
    return switch (mediaType) {
      case DOCKER_LAYER_GZIP, DOCKER_LAYER_FOREIGN_GZIP -> mediaType;
      case OCI_LAYER_GZIP -> DOCKER_LAYER_GZIP;
      case OCI_LAYER_NONDIST_GZIP -> DOCKER_LAYER_FOREIGN_GZIP;
      default -> null;
    };
  }

  public static boolean isManifest(String mediaType) {
    return MANIFESTS.contains(mediaType);
  }

  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  /** The Accept header value for manifest requests: every manifest and index type we read. */
  public static String acceptHeader() {
    return String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
  }

  /** Compression of a layer media type. */
  public static Compression layerCompression(String mediaType) {
    if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")) {
      return Compression.GZIP;
    }
    if (mediaType.endsWith("+zstd")) {
      return Compression.ZSTD;
    }
    if (mediaType.endsWith(".tar")) {
      return Compression.NONE;
    }
    throw new IllegalArgumentException("not a layer media type: " + mediaType);
  }

  /** Layer compression. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }
}
