package dev.graft.assemble;

import dev.graft.layer.CacheFile;
import dev.graft.layer.SharedCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One folder of the local rebuild cache ({@code select/}, {@code verify/}) backed by a
 * {@link SharedCache}: a file missing here is copied in from the shared cache before it is read,
 * and every file a build reads or writes is reported as used.
 */
final class SharedFiles {
  private final Path dir;
  private final String folder;
  private final SharedCache shared;

  SharedFiles(Path cacheDir, String folder, SharedCache shared) {
    this.dir = cacheDir.resolve(folder);
    this.folder = folder;
    this.shared = shared;
  }

  Path dir() {
    return dir;
  }

  /** The local file for {@code key}, copied from the shared cache first when only that has it. */
  Path file(String key) {
    Path file = dir.resolve(key);
    if (!Files.isRegularFile(file)) {
      shared.file(folder, key).ifPresent(bytes -> {
        try {
          CacheFile.publish(dir, key, bytes);
        } catch (IOException e) {
          // an unwritable cache folder: the entry stays a miss
        }
      });
    }
    return file;
  }

  /** This build read or wrote {@code key}'s file. */
  void used(String key) {
    shared.usedFile(folder, key);
  }
}
