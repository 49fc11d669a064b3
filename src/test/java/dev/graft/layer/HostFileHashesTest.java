package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remembered content hashes of host files (issue 6: a rebuild hashes only what changed) must never
 * hide a change: not one that keeps the size and modification time, not one made in the same clock
 * tick as the hashing.
 */
class HostFileHashesTest {
  static String sha(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  void aSettledFileIsRememberedAndAChangeKeepingSizeAndMtimeIsStillSeen(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    Path dir = Files.createDirectories(tmp.resolve("app"));
    Path f = dir.resolve("a.js");
    Files.writeString(f, "one");
    FileTime mtime = Files.getLastModifiedTime(f);
    Thread.sleep(HostFileHashes.SETTLED / 1_000_000 + 200); // let it settle (ctime cannot be set back)

    HostFileHashes first = HostFileHashes.open(cache, dir);
    assertThat(first.hash(f)).isEqualTo(sha("one"));
    first.save();
    HostFileHashes second = HostFileHashes.open(cache, dir);
    assertThat(second.remembered(f)).isTrue();
    assertThat(second.hash(f)).isEqualTo(sha("one"));

    // Same length, mtime put back: the change time and the content still tell.
    Files.writeString(f, "two");
    Files.setLastModifiedTime(f, mtime);
    HostFileHashes third = HostFileHashes.open(cache, dir);
    assertThat(third.remembered(f)).isFalse();
    assertThat(third.hash(f)).isEqualTo(sha("two"));
  }

  @Test
  void aFileWrittenJustBeforeHashingIsNotRemembered(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    Path dir = Files.createDirectories(tmp.resolve("app"));
    Path f = dir.resolve("a.js");
    Files.writeString(f, "fresh");
    HostFileHashes h = HostFileHashes.open(cache, dir);
    assertThat(h.hash(f)).isEqualTo(sha("fresh"));
    h.save();
    // A write in the same clock tick could keep every stamp: such a hash is never trusted later.
    assertThat(HostFileHashes.open(cache, dir).remembered(f)).isFalse();
  }

  @Test
  void aDamagedStoreIsIgnored(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    Path dir = Files.createDirectories(tmp.resolve("app"));
    Path f = dir.resolve("a.js");
    Files.writeString(f, "x");
    Thread.sleep(HostFileHashes.SETTLED / 1_000_000 + 200);
    HostFileHashes h = HostFileHashes.open(cache, dir);
    h.hash(f);
    h.save();
    try (var s = Files.list(cache.resolve("hashes"))) {
      for (Path p : s.toList()) {
        Files.write(p, new byte[] {0, 5, 'g', 'r'});
      }
    }
    HostFileHashes again = HostFileHashes.open(cache, dir);
    assertThat(again.remembered(f)).isFalse();
    assertThat(again.hash(f)).isEqualTo(sha("x"));
  }
}
