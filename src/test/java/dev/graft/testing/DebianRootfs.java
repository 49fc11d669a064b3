package dev.graft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A real Debian root filesystem made by debootstrap (from Debian's mirror), cached as a tar in
 * {@link TestData#cacheDir()}/debian/{suite}-{variant}.tar: the same file the layer tests use.
 */
public final class DebianRootfs {
  private DebianRootfs() {}

  /** Built once by testdata/debian/make-rootfs.sh (see {@link TestData#debianRootfs}), then cached. */
  public static synchronized Path tarball(String suite, String variant) {
    return TestData.debianRootfs(suite, variant);
  }

  /** Unpacks {@code bookworm}/{@code minbase} (or another suite) into {@code dir}, owners kept. */
  public static Path unpack(String suite, String variant, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.runOk(Duration.ofMinutes(5), "tar", "-xf", tarball(suite, variant).toString(), "-C", dir.toString(),
        "--numeric-owner");
    return dir;
  }
}
