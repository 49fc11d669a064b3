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

  public static synchronized Path tarball(String suite, String variant) {
    Path out = TestData.cacheDir().resolve("debian").resolve(suite + "-" + variant + ".tar");
    if (Files.isRegularFile(out)) {
      return out;
    }
    Tools.require("debootstrap");
    try {
      Files.createDirectories(out.getParent());
      Path work = Files.createTempDirectory("graft-debootstrap");
      Path rootfs = work.resolve("rootfs");
      Tools.runOk(Duration.ofMinutes(20), "debootstrap", "--variant=" + variant, suite, rootfs.toString(),
          "http://deb.debian.org/debian");
      Path tar = work.resolve("rootfs.tar");
      Tools.runOk(Duration.ofMinutes(5), "tar", "--create", "--file", tar.toString(), "--directory", rootfs.toString(),
          "--numeric-owner", "--sort=name", ".");
      Files.move(tar, out, StandardCopyOption.ATOMIC_MOVE); // never a half-written tarball under its name
      Tools.runOk(Duration.ofMinutes(2), "rm", "-rf", work.toString());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
