package dev.graft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Debian root filesystem made by debootstrap (from Debian's mirror), cached as a tar in
 * {@link TestData#cacheDir()}/debian/{suite}-{variant}.tar: the same file the layer tests use.
 */
public final class DebianRootfs {
  private DebianRootfs() {}

  /** Built once by testdata/debian/make-rootfs.sh (see {@link TestData#debianRootfs}), then cached. */
  public static synchronized Path tarball(String suite, String variant) {
    return tarball(suite, variant, null);
  }

  /**
   * For another architecture ({@code arm64}, {@code armhf}) only debootstrap's first stage runs
   * ({@code --foreign}: packages unpacked, not configured), since the second stage would need
   * binfmt_misc. The libraries and the loader are all there, which is what verification and
   * running one program under qemu-user need.
   */
  public static Path tarball(String suite, String variant, String foreignArch) {
    return TestData.debianRootfs(suite, variant, foreignArch);
  }


  /** Unpacks {@code bookworm}/{@code minbase} (or another suite) into {@code dir}, owners kept. */
  public static Path unpack(String suite, String variant, Path dir) {
    return unpack(suite, variant, null, dir);
  }

  public static Path unpack(String suite, String variant, String foreignArch, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.runOk(Duration.ofMinutes(5), "tar", "-xf", tarball(suite, variant, foreignArch).toString(), "-C", dir.toString(),
        "--numeric-owner");
    return dir;
  }
}
