package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * Reads an image from a tar of an OCI image layout, in place: entries are read by their offsets
 * in the archive (see {@link TarLayoutFiles}), nothing is unpacked, and every blob is verified
 * as from a layout directory.
 */
public final class OciArchiveSource implements ImageSource {
  private final OciLayoutSource layout;

  public static OciArchiveSource open(ImageRef.OciArchive ref) throws IOException {
    if (!Files.isRegularFile(ref.file())) {
      throw new java.io.FileNotFoundException(ref + ": no such file");
    }
    return new OciArchiveSource(new OciLayoutSource(ref, TarLayoutFiles.open(ref.file(), ref.toString()), ref.tag()));
  }

  private OciArchiveSource(OciLayoutSource layout) {
    this.layout = layout;
  }

  @Override
  public ImageRef ref() {
    return layout.ref();
  }

  @Override
  public Blob root() throws IOException {
    return layout.root();
  }

  @Override
  public Blob manifest(Descriptor descriptor) throws IOException {
    return layout.manifest(descriptor);
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws IOException {
    return layout.openBlob(descriptor);
  }

  @Override
  public void close() throws IOException {
    layout.close();
  }
}
