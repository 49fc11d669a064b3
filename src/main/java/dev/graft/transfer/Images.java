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
    return byTransport(ref, OciLayoutSource::open, OciArchiveSource::open, DockerArchiveSource::open,
        r -> new RegistrySource(r, options.registry()));
  }

  private static ImageSink createUnchecked(ImageRef ref, TransferOptions options) throws IOException {
    return byTransport(ref, OciLayoutSink::create, OciArchiveSink::create, DockerArchiveSink::create,
        r -> new RegistrySink(r, options.registry()));
  }

  /** Opens one kind of reference; may fail with the file system's or the registry's error. */
  @FunctionalInterface
  private interface Opener<R extends ImageRef, T> {
    T open(R ref) throws IOException;
  }

  /** The one choice by transport: Java 17 has no pattern switch, and the sealed ImageRef keeps it complete. */
  private static <T> T byTransport(ImageRef ref, Opener<ImageRef.OciLayout, T> layout,
      Opener<ImageRef.OciArchive, T> archive, Opener<ImageRef.DockerArchive, T> dockerArchive,
      Opener<ImageRef.Registry, T> registry) throws IOException {
    if (ref instanceof ImageRef.OciLayout l) {
      return layout.open(l);
    }
    if (ref instanceof ImageRef.OciArchive a) {
      return archive.open(a);
    }
    if (ref instanceof ImageRef.DockerArchive d) {
      return dockerArchive.open(d);
    }
    return registry.open((ImageRef.Registry) ref);
  }
}
