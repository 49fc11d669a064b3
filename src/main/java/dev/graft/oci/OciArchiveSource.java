package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an image from a tar of an OCI image layout. The archive is unpacked (safely, see
 * {@link SafeTarExtractor}) into a private temp directory that {@link #close} removes; blobs are
 * then read and verified exactly as from a layout.
 */
public final class OciArchiveSource implements ImageSource {
  private final ImageRef.OciArchive ref;
  private final Path tempDir;
  private final OciLayoutSource layout;

  public static OciArchiveSource open(ImageRef.OciArchive ref) throws IOException {
    if (!Files.isRegularFile(ref.file())) {
      throw new NoSuchFileException(ref.file().toString(), null, ref + ": no such file");
    }
    Path temp = Files.createTempDirectory("graft-oci-archive-");
    try {
      SafeTarExtractor.extract(ref.file(), temp, ref.toString());
      return new OciArchiveSource(ref, temp, new OciLayoutSource(ref, temp, ref.tag()));
    } catch (IOException | RuntimeException e) {
      OciLayouts.deleteTree(temp);
      throw e;
    }
  }

  private OciArchiveSource(ImageRef.OciArchive ref, Path tempDir, OciLayoutSource layout) {
    this.ref = ref;
    this.tempDir = tempDir;
    this.layout = layout;
  }

  @Override
  public ImageRef ref() {
    return ref;
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
    OciLayouts.deleteTree(tempDir);
  }
}
