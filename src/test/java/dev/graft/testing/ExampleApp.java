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

  /** A fresh copy of the example (graft.yaml, backend/, frontend/) in {@code dir}, images linked in. */
  public static Path copyTo(Path dir) {
    Path src = TestData.projectRoot().resolve("testdata/example");
    try {
      Files.createDirectories(dir);
      for (String top : List.of("graft.yaml", "backend", "frontend")) {
        try (Stream<Path> s = Files.walk(src.resolve(top))) {
          for (Path p : s.toList()) {
            Path to = dir.resolve(src.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(to);
            } else {
              Files.copy(p, to);
            }
          }
        }
      }
      Files.createSymbolicLink(dir.resolve("images"), images());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
