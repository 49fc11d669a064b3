package dev.graft.assemble;

import dev.graft.config.ManifestFormat;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Phase "manifest": the base's layers by reference, then graft's, under the config; OCI or
 * Docker schema 2 as the plan says (a Docker manifest names the base's layers by their Docker
 * types, and cannot hold zstd ones).
 */
final class ComposeManifest {
  private final ResolvedImage base;
  private final List<AddedLayer> added;
  private final Blob config;
  private final ManifestFormat format;
  private final Steps steps;

  ComposeManifest(ResolvedImage base, List<AddedLayer> added, Blob config, ManifestFormat format, Steps steps) {
    this.base = base;
    this.added = List.copyOf(added);
    this.config = config;
    this.format = format;
    this.steps = steps;
  }

  Blob run() {
    boolean docker = format == ManifestFormat.DOCKER;
    List<Descriptor> layers = new ArrayList<>(base.manifest().layers().stream()
        // in OCI manifests a base layer's annotations stay: zstd:chunked and eStargz tables of contents
        // are found by them (Docker's schema 2 has no layer annotations)
        .map(d -> new Descriptor(docker ? dockerLayerType(d) : d.mediaType(), d.digest(), d.size())
            .withAnnotations(docker ? Map.of() : d.annotations())).toList());
    added.forEach(a -> layers.add(a.layer().descriptor()));
    return new Manifest(docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST, config.descriptor(), layers,
        Map.of()).toBlob();
  }

  /** A base layer under its Docker name: podman refuses a Docker manifest listing OCI layer types. */
  private String dockerLayerType(Descriptor d) {
    String type = MediaTypes.asDockerLayer(d.mediaType());
    if (type == null) {
      throw steps.failed("compose manifest", "base " + base.source().ref() + " has layer " + d.digest() + " of type "
          + d.mediaType() + ", which Docker manifests cannot hold (gzip layers only); use format: oci");
    }
    return type;
  }
}
