package dev.graft.transfer;

import dev.graft.oci.DockerArchiveSink;
import dev.graft.oci.DockerArchiveSource;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.OciArchiveSink;
import dev.graft.oci.OciArchiveSource;
import dev.graft.oci.OciLayoutSink;
import dev.graft.oci.OciLayoutSource;
import dev.graft.oci.TargetPath;
import dev.graft.registry.RegistrySink;
import dev.graft.registry.RegistrySource;
import java.io.IOException;
import java.nio.file.FileSystemException;

/** Opens the source or sink an image reference names, whatever its transport. */
public final class Images {
  private Images() {}

  public static ImageSource open(ImageRef ref, TransferOptions options) throws IOException {
    try {
      return openUnchecked(ref, options);
    } catch (FileSystemException e) {
      throw FileErrors.withContext("cannot read " + ref, e);
    }
  }

  public static ImageSink create(ImageRef ref, TransferOptions options) throws IOException {
    try {
      return createUnchecked(ref, options);
    } catch (FileSystemException e) {
      throw FileErrors.withContext("cannot write " + ref, e);
    }
  }

  /**
   * Checks, before any heavy work, that {@code ref} can be written: a registry must answer and
   * accept this run's credentials for a push to the repository (see {@link RegistrySink#checkPush};
   * a refusal names {@code ref}, tag included); an archive must be a new path or a regular file, a
   * layout a new path or a directory (no devices, FIFOs or symlinks).
   */
  public static void checkWritable(ImageRef ref, TransferOptions options) throws IOException {
    if (ref instanceof ImageRef.Registry r) {
      try (RegistrySink sink = new RegistrySink(r, options.registry())) {
        sink.checkPush(r.toString());
      }
    } else if (ref instanceof ImageRef.OciArchive a) {
      TargetPath.requireFileOrNew(ref, a.file().toAbsolutePath().normalize());
    } else if (ref instanceof ImageRef.DockerArchive d) {
      TargetPath.requireFileOrNew(ref, d.file().toAbsolutePath().normalize());
    } else if (ref instanceof ImageRef.OciLayout l) {
      TargetPath.requireDirectoryOrNew(ref, l.dir().toAbsolutePath().normalize());
    }
  }

  private static ImageSource openUnchecked(ImageRef ref, TransferOptions options) throws IOException {
    // Java 17 has no pattern switch; the sealed ImageRef keeps this chain complete.
    if (ref instanceof ImageRef.OciLayout l) {
      return OciLayoutSource.open(l);
    }
    if (ref instanceof ImageRef.OciArchive a) {
      return OciArchiveSource.open(a);
    }
    if (ref instanceof ImageRef.DockerArchive d) {
      return DockerArchiveSource.open(d);
    }
    return openRegistry((ImageRef.Registry) ref, options);
  }

  private static ImageSink createUnchecked(ImageRef ref, TransferOptions options) throws IOException {
    if (ref instanceof ImageRef.OciLayout l) {
      return OciLayoutSink.create(l);
    }
    if (ref instanceof ImageRef.OciArchive a) {
      return OciArchiveSink.create(a);
    }
    if (ref instanceof ImageRef.DockerArchive d) {
      return DockerArchiveSink.create(d);
    }
    return createRegistry((ImageRef.Registry) ref, options);
  }

  private static ImageSource openRegistry(ImageRef.Registry ref, TransferOptions options) {
    return new RegistrySource(ref, options.registry());
  }

  private static ImageSink createRegistry(ImageRef.Registry ref, TransferOptions options) {
    return new RegistrySink(ref, options.registry());
  }
}
