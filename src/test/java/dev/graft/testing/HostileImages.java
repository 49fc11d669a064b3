package dev.graft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The hostile images of {@code testdata/hostile/make-hostile.py}: OCI layouts made with Python's
 * tarfile and hand-written JSON, never with graft's own writer. Made once per version of the
 * script into the shared test-data cache (a temp name, then a rename), tagged {@code t}.
 */
public final class HostileImages {
  /** Images whose bytes are not what their manifest or config promise. */
  public static final List<String> DAMAGED = List.of("corrupt-after-end-marker", "corrupt-gzip-header",
      "corrupt-content", "lying-diff-id");

  private HostileImages() {}

  /** The names of every image make-hostile.py makes, sorted (so a new maker shows up in every index of them). */
  public static List<String> names() {
    try (var dirs = Files.list(made())) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code oci:DIR:t} of the named image. */
  public static String ref(String name) {
    return "oci:" + layout(name) + ":t";
  }

  /** The layout directory of the named image (read it, never write into it). */
  public static Path layout(String name) {
    Path dir = made().resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("make-hostile.py makes no image named " + name);
    }
    return dir;
  }

  /** A private copy of the named image's layout, for a test that changes it. */
  public static Path copy(String name, Path to) throws IOException {
    Path from = layout(name);
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }

  /**
   * {@code oci:DIR:t} of testdata/hostile/make-many-entries.py's image: one gzip layer of a million
   * entries (a node_modules of 999 packages × 1000 files), made once and cached (~17 MB).
   */
  public static synchronized String manyEntries() {
    Path script = TestData.projectRoot().resolve("testdata/hostile/make-many-entries.py");
    try {
      Path out = TestData.cacheDir().resolve("hostile").resolve("many-" + version(script));
      if (!Files.isRegularFile(out.resolve("index.json"))) {
        Tools.runOk(Duration.ofMinutes(10), "python3", script.toString(), out.toString(), "1000000");
      }
      return "oci:" + out + ":t";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String version(Path script) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(script)))
          .substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static synchronized Path made() {
    Path script = TestData.projectRoot().resolve("testdata/hostile/make-hostile.py");
    try {
      String version = version(script);
      Path out = TestData.cacheDir().resolve("hostile").resolve(version);
      if (Files.isRegularFile(out.resolve(".complete"))) {
        return out;
      }
      Path tmp = Files.createDirectories(out.resolveSibling(version + ".tmp-" + ProcessHandle.current().pid()));
      Tools.runOk(Duration.ofMinutes(2), "python3", script.toString(), tmp.toString());
      Files.createFile(tmp.resolve(".complete"));
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        Tools.runOk(Duration.ofMinutes(1), "rm", "-rf", tmp.toString()); // another run made it first
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
