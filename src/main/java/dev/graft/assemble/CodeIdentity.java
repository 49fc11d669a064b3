package dev.graft.assemble;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Names the graft build that is running, for cache entries that hold graft's own conclusions
 * (verification reports, file selections): a new graft never trusts an old graft's answers. The
 * jar's version, size and modification time; for classes run from a directory (tests), the directory.
 */
final class CodeIdentity {
  private static final String ID = compute();

  private CodeIdentity() {}

  static String get() {
    return ID;
  }

  private static String compute() {
    String version = String.valueOf(CodeIdentity.class.getPackage().getImplementationVersion());
    try {
      var src = CodeIdentity.class.getProtectionDomain().getCodeSource();
      if (src == null) {
        return unknown(version);
      }
      Path p = Path.of(src.getLocation().toURI());
      if (Files.isRegularFile(p)) {
        return version + " jar " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
      }
      return version + " dir " + p;
    } catch (URISyntaxException | IOException | RuntimeException e) {
      return unknown(version);
    }
  }

  /** Unknown code never matches a cache entry, not even one it wrote in another run. */
  private static String unknown(String version) {
    return version + " unknown " + UUID.randomUUID();
  }
}
