package dev.graft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where test inputs live: the shared Alpine tarballs, the project's testdata, the download cache. */
public final class TestData {
  private TestData() {}

  /** The project root (the directory holding pom.xml). */
  public static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the project root (pom.xml) above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** {@code ../shared/testdata} beside the project (override: GRAFT_SHARED_TESTDATA). */
  public static Path sharedTestdata() {
    String env = System.getenv("GRAFT_SHARED_TESTDATA");
    Path p = env != null ? Path.of(env) : projectRoot().resolveSibling("shared").resolve("testdata");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared test data not found at " + p
          + " (expected ../shared/testdata beside the project; set GRAFT_SHARED_TESTDATA to point elsewhere)");
    }
    return p;
  }

  /**
   * A real Alpine minirootfs tarball (gzip), e.g. {@code alpine("3.16", "x86_64")}.
   * Versions: 3.15, 3.16, 3.18; arches: x86_64, aarch64, armv7.
   */
  public static Path alpine(String version, String arch) {
    String full = switch (version) {
      case "3.15" -> "3.15.11";
      case "3.16" -> "3.16.9";
      case "3.18" -> "3.18.9";
      default -> throw new IllegalArgumentException("no Alpine " + version + " tarball");
    };
    Path p = sharedTestdata().resolve("alpine").resolve("alpine-minirootfs-" + full + "-" + arch + ".tar.gz");
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("missing " + p);
    }
    return p;
  }

  /** Download cache for fixtures (npm packages, debootstrap rootfs), kept outside the repo. */
  public static Path cacheDir() {
    String env = System.getenv("GRAFT_TESTDATA_CACHE");
    Path p = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "graft-testdata");
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A real Debian rootfs tarball (plain tar, numeric owners, xattrs) made by
   * {@code testdata/debian/make-rootfs.sh} with debootstrap; built once (needs the Debian mirror),
   * then cached as {@code cacheDir()/debian/SUITE-VARIANT.tar}.
   */
  public static Path debianRootfs(String suite, String variant) {
    return debianRootfs(suite, variant, null);
  }

  /** As {@link #debianRootfs(String, String)}, for a foreign architecture (first stage only), or null for the host's. */
  public static synchronized Path debianRootfs(String suite, String variant, String foreignArch) {
    String name = suite + "-" + variant + (foreignArch == null ? "" : "-" + foreignArch + "-foreign") + ".tar";
    Path out = cacheDir().resolve("debian").resolve(name);
    if (Files.isRegularFile(out)) {
      return out;
    }
    try {
      Files.createDirectories(out.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.require("debootstrap");
    Tools.runOk(java.time.Duration.ofMinutes(30),
        projectRoot().resolve("testdata/debian/make-rootfs.sh").toString(), suite, variant, out.toString(), foreignArch == null ? "" : foreignArch);
    return out;
  }
}
