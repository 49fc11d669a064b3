package dev.graft.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs a directory of image files (a layout, a docker save) into a tar whose bytes depend only
 * on the files' names and contents: entries sorted by name, parent directories listed, mtime
 * fixed at epoch+1s, owner 0:0 with empty names, modes 0644/0755.
 */
final class DeterministicTar {
  private DeterministicTar() {}

  /** epoch+1s, the project's default SOURCE_DATE_EPOCH (0 reads as "unset" to some tools). */
  static final FileTime MTIME = FileTime.fromMillis(1000);

  static void write(Path dir, Path tarFile) throws IOException {
    List<String> files = OciLayouts.sortedFiles(dir);
    TreeSet<String> names = new TreeSet<>();
    for (String f : files) {
      names.add(f);
      for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) {
        names.add(f.substring(0, i + 1));
      }
    }
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tarFile), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(raw, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      for (String name : names) {
        boolean isDir = name.endsWith("/");
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setModTime(MTIME);
        e.setIds(0, 0);
        e.setUserName("");
        e.setGroupName("");
        e.setMode(isDir ? 040755 : 0100644);
        Path p = dir.resolve(isDir ? name.substring(0, name.length() - 1) : name);
        if (!isDir) {
          e.setSize(Files.size(p));
        }
        tar.putArchiveEntry(e);
        if (!isDir) {
          try (InputStream in = Files.newInputStream(p)) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
