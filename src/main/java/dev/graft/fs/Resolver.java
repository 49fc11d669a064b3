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

  /** @param symlinkTarget a path's symlink text when it is a symlink, else null */
  static String resolve(Function<String, String> symlinkTarget, String path, boolean followFinal) {
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
      String target = !parts.isEmpty() || followFinal ? symlinkTarget.apply(next) : null;
      if (target != null) {
        if (++hops > MAX_HOPS) {
          throw new SymlinkLoopException("too many levels of symbolic links resolving " + path
              + " (loop at " + next + " -> " + target + ")");
        }
        if (target.startsWith("/")) {
          current = "/";
        }
        pushFront(parts, target);
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
