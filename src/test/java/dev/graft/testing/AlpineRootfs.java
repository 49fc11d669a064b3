package dev.graft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Files out of the real Alpine minirootfs tarballs: single files, or the whole tree unpacked. */
public final class AlpineRootfs {
  private AlpineRootfs() {}

  /** The bytes of one regular file, e.g. {@code file("3.16", "x86_64", "bin/busybox")}. */
  public static byte[] file(String version, String arch, String path) {
    Path tarball = TestData.alpine(version, arch);
    try (InputStream raw = Files.newInputStream(tarball);
         TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (name.equals(path)) {
          if (!e.isFile()) {
            throw new IllegalStateException(path + " in " + tarball + " is not a regular file");
          }
          return tar.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + path + " in " + tarball);
  }

  /** Unpacks the minirootfs into {@code dir} with GNU tar (as root: owners, modes, links kept). */
  public static Path unpack(String version, String arch, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.runOk(Duration.ofMinutes(2), "tar", "-xzf", TestData.alpine(version, arch).toString(), "-C", dir.toString());
    return dir;
  }
}
