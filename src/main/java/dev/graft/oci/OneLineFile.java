package dev.graft.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A one-line text file graft keeps for itself (a registry's remembered scheme, the launcher's
 * hint): written beside itself and renamed into place, so a reader sees the old line or the new
 * one, never half of one, even with runs writing at once.
 */
public final class OneLineFile {
  private OneLineFile() {}

  /** Replaces {@code file}'s content with {@code line} and a newline, making its folder if needed. */
  public static void replace(Path file, String line) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".part");
    try {
      Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
