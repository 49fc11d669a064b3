package dev.graft.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a single-platform image as a {@code docker save} tar that {@code docker load} and
 * {@code podman load} accept: {@code manifest.json} (Config, RepoTags, Layers) pointing at blobs
 * stored as in an OCI layout, plus {@code oci-layout} and {@code index.json}, which is what
 * Docker 25+ itself writes. Layers stay compressed as in the source; both loaders decompress them.
 */
public final class DockerArchiveSink extends StagedArchiveSink {
  private final ImageRef.DockerArchive ref;
  private final String repoTag;

  public static DockerArchiveSink create(ImageRef.DockerArchive ref) throws IOException {
    String repoTag = repoTag(ref);
    Path target = ref.file().toAbsolutePath().normalize();
    if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(ref + ": is a directory; a docker-archive is a file");
    }
    TargetPath.requireFileOrNew(ref, target);
    return new DockerArchiveSink(ref, target, OciLayoutSink.staging(target), repoTag);
  }

  /** The name docker load tags the image with: NAME:TAG as given, {@code :latest} when no tag. */
  static String repoTag(ImageRef.DockerArchive ref) {
    if (ref.name() == null) {
      return null;
    }
    ImageRef parsed;
    try {
      parsed = ImageRef.parse(ref.name());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ref + ": bad image name '" + ref.name() + "': " + e.getMessage(), e);
    }
    if (!(parsed instanceof ImageRef.Registry r) || r.digest() != null) {
      throw new IllegalArgumentException(ref + ": the name after the file must be NAME[:TAG], e.g. app:1.0");
    }
    int slash = ref.name().lastIndexOf('/');
    return ref.name().indexOf(':', slash + 1) < 0 ? ref.name() + ":latest" : ref.name();
  }

  private DockerArchiveSink(ImageRef.DockerArchive ref, Path target, StagingDir staging, String repoTag)
      throws IOException {
    super(ref, target, staging, repoTag, containerdNames(repoTag));
    this.ref = ref;
    this.repoTag = repoTag;
  }

  // podman load reads the OCI index first and takes ref.name as the image's whole name, so it
  // carries NAME:TAG (the annotation's grammar allows ':'); containerd reads io.containerd.image.name.
  private static Map<String, String> containerdNames(String repoTag) {
    return repoTag == null ? Map.of() : Map.of("io.containerd.image.name", ImageRef.parse(repoTag).toString());
  }

  @Override
  public boolean supportsIndex() {
    return false;
  }

  @Override
  public void commit(Blob root) throws IOException {
    if (!MediaTypes.isManifest(root.mediaType())) {
      throw new OciFormatException(ref + " holds one platform, but the image is a multi-platform index;"
          + " choose one with --platform");
    }
    Manifest manifest = Manifest.parse(root);
    ObjectNode entry = Json.object();
    entry.put("Config", blobName(manifest.config().digest()));
    ArrayNode tags = entry.putArray("RepoTags");
    if (repoTag != null) {
      tags.add(repoTag);
    }
    ArrayNode layers = entry.putArray("Layers");
    manifest.layers().forEach(l -> layers.add(blobName(l.digest())));
    ArrayNode all = Json.MAPPER.createArrayNode().add(entry);
    OciLayouts.writeAtomically(staging.resolve("manifest.json"), Json.write(all), temps());
    commitAndPack(root);
  }

  private static String blobName(Digest d) {
    return "blobs/" + d.algorithm() + "/" + d.hex();
  }

}
