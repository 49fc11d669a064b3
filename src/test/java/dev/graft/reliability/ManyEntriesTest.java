package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.GraftProcess;
import dev.graft.testing.HostileImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer of a million entries (testdata/hostile/make-many-entries.py, Python's tarfile) is listed
 * and built on in a 256 MB heap: the merged tree is a compact index (~90 bytes an entry), listings
 * stream, and a verification too large to trace is not traced. graft runs in its own JVM with that
 * heap; a tree of records (~570 bytes an entry) ran out of memory here. Peak RSS with bin/graft's
 * flags is measured with /usr/bin/time -v (NOTES.md, Trust).
 */
class ManyEntriesTest {
  private static final String HEAP = "256m";
  @TempDir Path tmp;

  @Test
  void aMillionEntriesAreListedInABoundedHeap() throws Exception {
    GraftProcess.Result r = GraftProcess.start(HEAP, Map.of(), "ls", "-R", HostileImages.manyEntries(), "/").await();

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().count()).isEqualTo(1_000_000); // every entry (the root is not listed)
    assertThat(r.out()).contains("/app/node_modules/pkg-00998/lib\n", "/app/node_modules/pkg-00000/lib/file-00999.js\n");
  }

  @Test
  void anImageOfAMillionEntriesIsBuiltOnInABoundedHeap() throws Exception {
    Files.createDirectories(tmp.resolve("site"));
    Files.writeString(tmp.resolve("site/a.txt"), "a\n");
    Files.writeString(tmp.resolve("graft.yaml"), """
        base: %s
        platforms: [linux/amd64]
        layers:
          - { name: site, from: ./site, to: /srv }
        """.formatted(HostileImages.manyEntries()));

    GraftProcess.Result r = GraftProcess.start(HEAP, Map.of(), "build", "-f", tmp.resolve("graft.yaml").toString(),
        "--to", "oci:" + tmp.resolve("out") + ":t", "--cache-dir", tmp.resolve("cache").toString(), "-q").await();

    assertThat(r.exitCode()).as(r.err()).isZero();
    GraftProcess.Result ls = GraftProcess.start(HEAP, Map.of(), "ls", "oci:" + tmp.resolve("out") + ":t", "/srv").await();
    assertThat(ls.out()).contains("/srv/a.txt");
  }

  @Test
  void itIsVerifiedInABoundedHeap() throws Exception {
    GraftProcess.Result r = GraftProcess.start(HEAP, Map.of(), "verify", HostileImages.manyEntries()).await();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("no problems found");
  }

  @Test
  void aPackageIsExtractedAndSelectedAsABuilderInABoundedHeap() throws Exception {
    GraftProcess.Result x = GraftProcess.start(HEAP, Map.of(), "extract", HostileImages.manyEntries(),
        "/app/node_modules/pkg-00007", "--to", tmp.resolve("x").toString()).await();
    assertThat(x.exitCode()).as(x.err()).isZero();
    try (var files = Files.list(tmp.resolve("x/app/node_modules/pkg-00007/lib"))) {
      assertThat(files.count()).isEqualTo(1000);
    }

    String base = dev.graft.testing.AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.16",
        dev.graft.oci.Platform.LINUX_AMD64).ref();
    Files.writeString(tmp.resolve("graft.yaml"), """
        base: %s
        builder: %s
        platforms: [linux/amd64]
        layers:
          - { name: pkg, from: builder, paths: [/app/node_modules/pkg-00007], closure: off }
        """.formatted(base, HostileImages.manyEntries()));
    GraftProcess.Result b = GraftProcess.start(HEAP, Map.of(), "build", "-f", tmp.resolve("graft.yaml").toString(),
        "--to", "oci:" + tmp.resolve("out") + ":t", "--cache-dir", tmp.resolve("cache").toString(), "-q").await();
    assertThat(b.exitCode()).as(b.err()).isZero();
  }

  /** copy moves the one 17 MB blob; nothing is unpacked. */
  @Test
  void itIsCopiedByteForByte() throws Exception {
    GraftProcess.Result r = GraftProcess.start(HEAP, Map.of(), "copy", HostileImages.manyEntries(),
        "oci:" + tmp.resolve("copy") + ":t").await();
    assertThat(r.exitCode()).as(r.err()).isZero();
    HostileRuns.assertCopiedByteForByte(HostileImages.manyEntries(), tmp.resolve("copy"));
  }
}
