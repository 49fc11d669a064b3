package dev.graft.assemble;

import dev.graft.fs.ContentSpool;
import dev.graft.fs.KeptContents;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A platform build's spool directory and the spools opened in it: image files that selection,
 * verification and the layer writers read are copied out of their layers once, there, and the
 * copies go when the platform's build ends.
 */
final class Spools implements Closeable {
  private final Path dir;
  private final List<Closeable> open = new ArrayList<>();

  private Spools(Path dir) {
    this.dir = dir;
  }

  /** The spool directory under {@code workDir}, created. */
  static Spools in(Path workDir) throws IOException {
    return new Spools(Files.createDirectories(workDir.resolve("spool")));
  }

  Path dir() {
    return dir;
  }

  /** Closes {@code spool} (deleting its files) when the build ends. */
  synchronized void add(ContentSpool spool) {
    open.add(spool);
  }

  /** Closes {@code kept} (deleting its file) when the build ends. */
  synchronized void add(KeptContents kept) {
    open.add(kept);
  }

  @Override
  public synchronized void close() throws IOException {
    for (Closeable s : open) {
      s.close();
    }
  }
}
