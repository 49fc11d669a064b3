package dev.graft.oci;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an image archive (a tar of an OCI layout or a docker save) into an empty directory.
 * It only ever creates plain files and directories below the target: absolute names, {@code ..},
 * links, devices and duplicate names are refused, because the archive may be hostile.
 */
final class SafeTarExtractor {
  private SafeTarExtractor() {}

  static void extract(Path tar, Path into, String where) throws IOException {
    Path root = into.toRealPath();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar));
        TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        String name = e.getName();
        Path target = resolve(root, name, where);
        // Checked first and explicitly: isFile() is lenient about odd type flags.
        if (e.isSymbolicLink() || e.isLink() || e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
          throw new OciFormatException(where + ": archive entry '" + name
              + "' is a link or special file; image archives hold only files and directories");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          // CREATE_NEW: a second entry of the same name is refused, not silently overwriting the first.
          try (var out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
          } catch (java.nio.file.FileAlreadyExistsException dup) {
            throw new OciFormatException(where + ": archive holds '" + name + "' twice");
          }
        } else {
          throw new OciFormatException(where + ": archive entry '" + name
              + "' is a link or special file; image archives hold only files and directories");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": not a readable tar archive: " + e.getMessage(), e);
    }
  }

  private static Path resolve(Path root, String name, String where) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    if (n.isEmpty() || n.equals(".") || n.equals("./")) {
      return root;
    }
    if (n.startsWith("/") || n.contains("\\")) {
      throw new OciFormatException(where + ": archive entry '" + name + "' has an absolute or odd path");
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        throw new OciFormatException(where + ": archive entry '" + name + "' escapes the archive root");
      }
    }
    Path p = root.resolve(n).normalize();
    if (!p.startsWith(root)) {
      throw new OciFormatException(where + ": archive entry '" + name + "' escapes the archive root");
    }
    return p;
  }
}
