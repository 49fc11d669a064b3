package dev.graft.layer;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path rules shared by the tar reader, the tree and the writer. */
public final class TarPaths {
  private TarPaths() {}

  /**
   * Normalises a tar entry name to an absolute path ({@code ./usr/bin/} → {@code /usr/bin}).
   * Refuses absolute names and {@code ..} components rather than clamping them: an image that
   * contains them was made by a broken or hostile tool, and silently fixing it hides that.
   *
   * @return the normalised path, or null when the name is invalid (caller builds the message)
   */
  public static String normaliseEntryName(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        return null;
      }
      out.append('/').append(part);
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /** Lexically normalises an absolute path; {@code ..} stops at the root, as the kernel does at {@code /}. */
  public static String clean(String path) {
    if (isClean(path)) {
      return path; // the common case (every layer entry's path is checked with this), without allocating
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  /** Absolute, and no empty, {@code .} or {@code ..} component, no trailing slash: clean already. */
  private static boolean isClean(String path) {
    int n = path.length();
    if (n == 0 || path.charAt(0) != '/') {
      return false;
    }
    if (n == 1) {
      return true;
    }
    int start = 1; // start of the current component
    for (int i = 1; i <= n; i++) {
      if (i == n || path.charAt(i) == '/') {
        int len = i - start;
        if (len == 0 || len == 1 && path.charAt(start) == '.'
            || len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code child} joined onto {@code dir} (both absolute or child relative). */
  public static String join(String dir, String child) {
    return dir.equals("/") ? "/" + child : dir + "/" + child;
  }

  /** True when {@code path} is {@code dir} or inside it. */
  public static boolean isWithin(String path, String dir) {
    return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
  }
}
