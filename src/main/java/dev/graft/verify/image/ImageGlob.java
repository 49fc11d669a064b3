package dev.graft.verify.image;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Glob expansion inside an image (for {@code include /etc/ld.so.conf.d/*.conf}), sorted like glob(3). */
public final class ImageGlob {
  private ImageGlob() {}

  public static List<String> expand(ImageFiles files, String pattern) {
    List<String> current = List.of("/");
    for (String c : ImagePaths.components(pattern)) {
      List<String> next = new ArrayList<>();
      boolean wild = c.contains("*") || c.contains("?") || c.contains("[");
      for (String dir : current) {
        Optional<ResolvedPath> rd = ImagePaths.resolve(files, dir);
        if (rd.isEmpty() || !rd.get().entry().isDirectory()) {
          continue;
        }
        if (wild) {
          PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + c);
          for (String name : files.list(rd.get().path())) {
            if (!name.startsWith(".") && m.matches(Path.of(name))) {
              next.add(ImagePaths.join(dir, name));
            }
          }
        } else {
          next.add(ImagePaths.join(dir, c));
        }
      }
      current = next;
    }
    List<String> out = new ArrayList<>();
    for (String p : current) {
      if (ImagePaths.resolve(files, p).isPresent()) {
        out.add(p);
      }
    }
    out.sort(null);
    return out;
  }
}
