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

  /** npm's folders too (made by npm layers; checked by every build and by plan's npm preview). */
  @Test
  void npmsCacheFolderReplacedByAFileIsNamedWithTheFix() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Files.writeString(cache.resolve("npm"), "not a folder");

    Cli r = HostileRuns.buildFrom(HostileImages.ref("special-files"), "paths: [/app/index.js], closure: off", tmp);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains("graft's cache " + cache + " cannot be used: " + cache.resolve("npm")
        + " is a file, not a folder; remove " + cache.resolve("npm"), "--cache-dir");
  }

  /** A folder kept elsewhere through a symlink (a shared or bigger disk) is used; a dangling one is named. */
  @Test
  void aCacheFolderLinkedElsewhereIsUsedAndADanglingLinkIsNamed() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere-layers"));
    Files.createSymbolicLink(cache.resolve("layers"), elsewhere);

    Cli ok = HostileRuns.buildFrom(HostileImages.ref("special-files"), "paths: [/app/index.js], closure: off", tmp);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    try (var listed = Files.list(elsewhere)) {
      assertThat(listed.count()).as("the build kept its layers where the link leads").isPositive();
    }

    Files.delete(cache.resolve("layers"));
    Files.createSymbolicLink(cache.resolve("layers"), tmp.resolve("gone"));
    Cli r = HostileRuns.buildFrom(HostileImages.ref("special-files"), "paths: [/app/index.js], closure: off", tmp);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains(cache.resolve("layers") + " is a symlink to no folder; remove " + cache.resolve("layers"));
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
