package dev.graft.assemble;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * A just-built platform image read as an image source (before or without writing it anywhere):
 * its manifest and config from memory, graft's layers from their files, the base's layers from
 * the base's source. What an SBOM of the build reads.
 */
final class BuiltImageSource implements ImageSource {
  private final ImageRef ref;
  private final AssembledImage image;

  BuiltImageSource(ImageRef ref, AssembledImage image) {
    this.ref = ref;
    this.image = image;
  }

  @Override
  public ImageRef ref() {
    return ref;
  }

  @Override
  public Blob root() {
    return image.manifest();
  }

  @Override
  public Blob manifest(Descriptor descriptor) throws IOException {
    if (!descriptor.digest().equals(image.manifest().digest())) {
      throw new IOException(ref + ": the built image has no manifest " + descriptor.digest());
    }
    return image.manifest();
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws IOException {
    if (descriptor.digest().equals(image.config().digest())) {
      return new ByteArrayInputStream(image.config().bytes());
    }
    for (AddedLayer a : image.added()) {
      if (a.layer().digest().equals(descriptor.digest())) {
        return new VerifyingInputStream(Files.newInputStream(a.layer().blob()), descriptor, ref.toString());
      }
    }
    return image.base().source().openBlob(descriptor);
  }

  @Override
  public void close() {
    // the base's source belongs to the build
  }
}
