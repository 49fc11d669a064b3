package dev.graft.verify.loader;

import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImageGlob;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The directories {@code /etc/ld.so.conf} (and what it includes) lists: ldconfig builds
 * {@code /etc/ld.so.cache} from them, which glibc consults before its default path. Reading the
 * conf rather than the binary cache also covers images whose cache is stale or absent (a
 * grafted library is found once ldconfig runs; graft reports it as found, not as a warning).
 */
final class LdSoConf {
  private static final int MAX_DEPTH = 10;
  private static final long MAX_CONF_BYTES = 1 << 20;

  private LdSoConf() {}

  static List<String> dirs(ImageFiles files) {
    List<String> out = new ArrayList<>();
    read(files, "/etc/ld.so.conf", 0, new HashSet<>(), out);
    return out;
  }

  private static void read(ImageFiles files, String path, int depth, Set<String> seen, List<String> out) {
    if (depth > MAX_DEPTH) {
      return;
    }
    Optional<ResolvedPath> r = ImagePaths.resolve(files, path);
    if (r.isEmpty() || !r.get().entry().isFile() || !seen.add(r.get().path())) {
      return;
    }
    // The size is judged by reading, not by the entry: what verification concludes then depends on
    // the file's content alone (VerifyTrace records contents, not sizes).
    byte[] bytes;
    try (InputStream in = files.open(r.get().path())) {
      bytes = in.readNBytes((int) MAX_CONF_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > MAX_CONF_BYTES) {
      return;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String base = ImagePaths.parent(path);
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (l.isEmpty() || l.startsWith("hwcap ")) {
        continue;
      }
      if (l.startsWith("include ") || l.startsWith("include\t")) {
        for (String pattern : l.substring(8).trim().split("\\s+")) {
          for (String inc : ImageGlob.expand(files, ImagePaths.join(base, pattern))) {
            read(files, inc, depth + 1, seen, out);
          }
        }
        continue;
      }
      for (String d : l.split("[\\s:,]+")) {
        int eq = d.indexOf('='); // old "dir=TYPE" syntax
        String dir = eq >= 0 ? d.substring(0, eq) : d;
        if (dir.startsWith("/")) {
          String n = ImagePaths.normalize(dir);
          if (!out.contains(n)) {
            out.add(n);
          }
        }
      }
    }
  }
}
