package dev.graft.fs;

import dev.graft.layer.TarPaths;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Resolves paths the way the kernel would inside a chroot at the image root: component by
 * component, absolute symlinks restart at the image root, {@code ..} stops at the root. The
 * host filesystem is never consulted. Missing components are kept as written, so the result also
 * tells where a path would be created.
 */
final class Resolver {
  /** Linux's own limit on symlinks followed in one lookup (MAXSYMLINKS). */
  static final int MAX_HOPS = 40;

  private Resolver() {}

  static String resolve(Function<String, TreeEntry> lookup, String path, boolean followFinal) {
    Deque<String> parts = new ArrayDeque<>();
    pushFront(parts, path);
    String current = "/";
    int hops = 0;
    while (!parts.isEmpty()) {
      String c = parts.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        current = TarPaths.parent(current);
        continue;
      }
      String next = TarPaths.join(current, c);
      TreeEntry node = lookup.apply(next);
      if (node != null && node.isSymlink() && (!parts.isEmpty() || followFinal)) {
        if (++hops > MAX_HOPS) {
          throw new SymlinkLoopException("too many levels of symbolic links resolving " + path
              + " (loop at " + next + " -> " + node.linkTarget() + ")");
        }
        if (node.linkTarget().startsWith("/")) {
          current = "/";
        }
        pushFront(parts, node.linkTarget());
        continue;
      }
      current = next;
    }
    return current;
  }

  private static void pushFront(Deque<String> parts, String path) {
    String[] split = path.split("/");
    for (int i = split.length - 1; i >= 0; i--) {
      parts.addFirst(split[i]);
    }
  }
}
