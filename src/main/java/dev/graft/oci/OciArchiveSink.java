package dev.graft.oci;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes an image as a tar of an OCI image layout. The layout is built in a temp directory
 * beside the target, packed reproducibly (see {@link DeterministicTar}) and moved into place on
 * {@link #commit}: until then the target is untouched. An existing archive is replaced.
 */
public final class OciArchiveSink extends StagedArchiveSink {
  public static OciArchiveSink create(ImageRef.OciArchive ref) throws IOException {
    Path target = ref.file().toAbsolutePath().normalize();
    if (java.nio.file.Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(ref + ": is a directory; an oci-archive is a file (for a directory write oci:DIR)");
    }
    TargetPath.requireFileOrNew(ref, target);
    return new OciArchiveSink(ref, target, OciLayoutSink.staging(target));
  }

  private OciArchiveSink(ImageRef.OciArchive ref, Path target, StagingDir staging) throws IOException {
    super(ref, target, staging, ref.tag(), java.util.Map.of());
  }

  @Override
  public void commit(Blob root) throws IOException {
    commitAndPack(root);
  }
}
