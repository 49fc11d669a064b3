package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.HostileImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache folder replaced by a file (or the cache itself a file) is reported in words, with the fix. */
class DamagedCacheTest {
  @TempDir Path tmp;

  @Test
  void everyCacheFolderReplacedByAFileIsNamedWithTheFix() throws Exception {
    Path work = tmp.resolve("first");
    Cli first = HostileRuns.buildFrom(HostileImages.ref("special-files"), "paths: [/app/index.js], closure: off", work);
    assertThat(first.exitCode()).as(first.err()).isZero();
    Path cache = work.resolve("cache");
    String[] folders = {"layers", "select", "verify", "trees", "blobs", "tmp"};
    for (String folder : folders) {
      assertThat(cache.resolve(folder)).as("the first build made it").isDirectory();
    }
    for (String folder : folders) {
      Path moved = tmp.resolve("moved-" + folder);
      Files.move(cache.resolve(folder), moved);
      Files.writeString(cache.resolve(folder), "not a folder");

      Cli r = HostileRuns.buildFrom(HostileImages.ref("special-files"), "paths: [/app/index.js], closure: off", work);

      assertThat(r.exitCode()).as(folder).isEqualTo(1);
      assertThat(r.error()).as(folder).contains("graft's cache " + cache + " cannot be used: "
          + cache.resolve(folder) + " is a file, not a folder; remove " + cache.resolve(folder), "--cache-dir");
      Files.delete(cache.resolve(folder));
      Files.move(moved, cache.resolve(folder));
    }
  }

  @Test
  void aCacheThatIsAFileIsNamed() throws Exception {
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("cache"), "oops");
    Cli r = HostileRuns.buildFrom(HostileImages.ref("special-files"), "paths: [/app/index.js], closure: off", tmp);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains(tmp.resolve("cache") + " is a file, not a folder; remove it or choose another with --cache-dir");
  }
}
