package dev.graft.transfer;

import dev.graft.oci.Blob;
import dev.graft.oci.ImageRef;
import java.io.IOException;

/**
 * {@link ImageWriter}'s extension point for artifacts about an image (signatures, SBOMs,
 * provenance, whatever comes next): run once per written reference, after every blob and
 * manifest of the image is at {@code target} and before any of its tags moves. Artifacts point at
 * the image by the digest of {@code root} or of the manifests it lists (a subject, or cosign's
 * {@code sha256-<hex>.sig} tag), never by tag, so they can be written while the tags still name
 * the previous image, and a failure here fails the write with every tag unmoved: no tag ever
 * names an image whose artifacts are missing. Implementations write through their own store (for
 * a registry, {@code attach.RegistryArtifactStore} on {@code target}'s repository) and keep what
 * they report themselves.
 */
@FunctionalInterface
public interface Attachments {
  Attachments NONE = (target, root) -> { };

  /** Writes the artifacts of the image {@code root} (already at {@code target}, by digest). */
  void write(ImageRef target, Blob root) throws IOException;

  /** These artifacts, then {@code next}'s (e.g. an SBOM, then the signatures that cover it). */
  default Attachments andThen(Attachments next) {
    return (target, root) -> {
      write(target, root);
      next.write(target, root);
    };
  }
}
