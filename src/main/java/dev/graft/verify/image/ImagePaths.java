package dev.graft.verify.image;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Path arithmetic and symlink resolution inside an image, as the kernel does it in a chroot:
 * {@code ..} at the root stays at the root, absolute link targets start again at the image
 * root, and more than {@value #MAX_SYMLINKS} links (the kernel's limit) is a loop.
 */
public final class ImagePaths {
  static final int MAX_SYMLINKS = 40;

  private ImagePaths() {}

  /** The normalised components of a path ({@code .} dropped, {@code ..} applied, clamped at root). */
  public static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else {
        out.add(c);
      }
    }
    return out;
  }

  /** The components as written ({@code ..} kept): {@code ..} after a symlink must be applied physically. */
  static List<String> rawComponents(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The directory part of a path as written (no {@code ..} applied), like dirname(3): what a
   * loader's {@code $ORIGIN} is for a library it opened by that path.
   */
  public static String dirname(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    return slash <= 0 ? "/" : p.substring(0, slash);
  }

  /** {@code /a/b} for a path, lexically normalised and made absolute. */
  public static String normalize(String path) {
    return "/" + String.join("/", components(path));
  }

  /** {@code dir/name}, normalised; {@code name} may be absolute, which ignores {@code dir}. */
  public static String join(String dir, String name) {
    return normalize(name.startsWith("/") ? name : dir + "/" + name);
  }

  public static String parent(String absPath) {
    List<String> c = components(absPath);
    return c.isEmpty() ? "/" : "/" + String.join("/", c.subList(0, c.size() - 1));
  }

  public static String fileName(String absPath) {
    List<String> c = components(absPath);
    return c.isEmpty() ? "/" : c.get(c.size() - 1);
  }

  /**
   * Follows every symlink in {@code path} (the last component too), applying {@code ..} where it
   * stands, as the kernel does. Empty when something on the way is missing, is not a directory,
   * or the links loop.
   */
  public static Optional<ResolvedPath> resolve(ImageFiles files, String path) {
    return resolve(files, path, true);
  }

  /** Like {@link #resolve(ImageFiles, String)}; with {@code followLast} false a final symlink is returned as is. */
  public static Optional<ResolvedPath> resolve(ImageFiles files, String path, boolean followLast) {
    Deque<String> todo = new ArrayDeque<>(rawComponents(path));
    List<String> done = new ArrayList<>();
    List<String> symlinks = new ArrayList<>();
    ImageFiles.Entry entry = files.lstat("/").orElse(new ImageFiles.Entry(ImageFiles.Type.DIRECTORY, null, 0755, 0));
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.equals("..")) { // physically: the parent of where we are, after any symlink followed
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        entry = files.lstat("/" + String.join("/", done)).orElse(entry);
        continue;
      }
      if (c.equals(".") || c.isEmpty()) {
        continue;
      }
      if (!entry.isDirectory()) {
        return Optional.empty();
      }
      String here = "/" + String.join("/", done) + (done.isEmpty() ? "" : "/") + c;
      Optional<ImageFiles.Entry> e = files.lstat(here);
      if (e.isEmpty()) {
        return Optional.empty();
      }
      if (e.get().isSymlink() && (followLast || !todo.isEmpty())) {
        if (symlinks.size() >= MAX_SYMLINKS) {
          return Optional.empty(); // ELOOP
        }
        symlinks.add(here);
        String target = e.get().linkTarget();
        List<String> targetParts = new ArrayList<>(List.of(target.split("/")));
        for (int i = targetParts.size() - 1; i >= 0; i--) {
          todo.addFirst(targetParts.get(i));
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        entry = files.lstat("/" + String.join("/", done)).orElseThrow();
        continue;
      }
      done.add(c);
      entry = e.get();
    }
    return Optional.of(new ResolvedPath(path, "/" + String.join("/", done), symlinks, entry));
  }
}
