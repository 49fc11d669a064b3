package dev.graft.oci;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes an image as a tar of an OCI image layout. The layout is built in a temp directory
 * beside the target, packed reproducibly (see {@link DeterministicTar}) and moved into place on
 * {@link #commit}: until then the target is untouched. An existing archive is replaced.
 */
public final class OciArchiveSink implements ImageSink {
  private final ImageRef.OciArchive ref;
  private final Path target;
  private final Path staging;
  private final OciLayoutSink layout;

  public static OciArchiveSink create(ImageRef.OciArchive ref) throws IOException {
    Path target = ref.file().toAbsolutePath().normalize();
    if (java.nio.file.Files.isDirectory(target)) {
      throw new IOException(ref + ": is a directory; an oci-archive is a file (for a directory write oci:DIR)");
    }
    return new OciArchiveSink(ref, target, OciLayoutSink.staging(target));
  }

  private OciArchiveSink(ImageRef.OciArchive ref, Path target, Path staging) {
    this.ref = ref;
    this.target = target;
    this.staging = staging;
    this.layout = new OciLayoutSink(ref, staging, ref.tag(), null);
  }

  @Override
  public ImageRef ref() {
    return ref;
  }

  @Override
  public boolean hasBlob(Descriptor descriptor) throws IOException {
    return layout.hasBlob(descriptor);
  }

  @Override
  public void putBlob(Descriptor descriptor, BlobContent content) throws IOException {
    layout.putBlob(descriptor, content);
  }

  @Override
  public void putManifest(Blob manifest) throws IOException {
    layout.putManifest(manifest);
  }

  @Override
  public void commit(Blob root) throws IOException {
    layout.commit(root);
    packInto(staging, target);
  }

  /** Tars {@code dir} to a temp file beside {@code target}, then renames it over the target. */
  static void packInto(Path dir, Path target) throws IOException {
    Path tmp = OciLayouts.tempBeside(target);
    try {
      DeterministicTar.write(dir, tmp);
      OciLayouts.moveAtomically(tmp, target);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() throws IOException {
    OciLayouts.deleteTree(staging);
  }
}
