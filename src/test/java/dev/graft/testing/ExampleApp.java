package dev.graft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * testdata/example: the example app's sources and graft.yaml, copied to a work directory so a test
 * may change them, with its fixture images (base, builder) made once by make-images.sh and cached
 * in {@link TestData#cacheDir()}.
 */
public final class ExampleApp {
  private static Path images;

  private ExampleApp() {}

  /** The cached directory holding the base/ and builder/ OCI layouts (made on first use). */
  public static synchronized Path images() {
    if (images == null) {
      Path script = TestData.projectRoot().resolve("testdata/example/make-images.sh");
      Tools.Result r = Tools.run(Duration.ofMinutes(20), script.toString());
      if (r.exitCode() != 0) {
        throw new AssertionError("make-images.sh failed: " + r.stderr());
      }
      List<String> lines = r.stdout().lines().toList();
      images = Path.of(lines.get(lines.size() - 1).strip());
    }
    return images;
  }

  /**
   * A fresh copy of testdata/service (the example's HTTP service: graft.yaml, server/) in
   * {@code parent}/service, with the example's images linked at {@code parent}/example/images
   * where its graft.yaml looks for them. Returns the service directory.
   */
  public static Path copyServiceTo(Path parent) {
    Path src = TestData.projectRoot().resolve("testdata/service");
    Path dir = parent.resolve("service");
    try {
      copyTree(src, dir);
      Files.createDirectories(parent.resolve("example"));
      Files.createSymbolicLink(parent.resolve("example/images"), images());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh copy of the example (graft.yaml, backend/, frontend/) in {@code dir}, images linked in. */
  public static Path copyTo(Path dir) {
    Path src = TestData.projectRoot().resolve("testdata/example");
    try {
      Files.createDirectories(dir);
      for (String top : List.of("graft.yaml", "backend", "frontend")) {
        copyTree(src.resolve(top), dir.resolve(top));
      }
      Files.createSymbolicLink(dir.resolve("images"), images());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
