package dev.graft.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks graft's cache directory before a build uses it, so a damaged one is reported once, in
 * words, instead of as a bare path from deep inside whichever step first touches it. Nothing is
 * repaired: {@code --cache-dir} may name a directory that is not graft's, and removing a user's
 * file is not graft's call. Everything in the cache can be made again, so the fix is to remove it.
 */
public final class CacheFolders {
  /** The folders graft keeps in its cache (each may be missing; a missing one is created on use). */
  static final List<String> FOLDERS = List.of("blobs", "blobs/sha256", "chunks", "hashes", "last-base", "layers",
      "manifests", "registries", "select", "tmp", "trees", "verify", "cds", "npm", "npm/tarballs", "npm/unpacked");

  private CacheFolders() {}

  /** @throws IOException naming what is wrong and the fix, when the cache cannot be used */
  public static void check(Path cacheDir) throws IOException {
    if (Files.exists(cacheDir) && !Files.isDirectory(cacheDir)) {
      throw damaged(cacheDir, cacheDir, "is " + kind(cacheDir) + ", not a folder");
    }
    for (String name : FOLDERS) {
      Path folder = cacheDir.resolve(name);
      // a symlink to a folder is the user's choice (a cache shared or kept on another disk): used
      if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder)) {
        throw damaged(cacheDir, folder, Files.isSymbolicLink(folder) ? "is a symlink to no folder"
            : "is " + kind(folder) + ", not a folder");
      }
      if (Files.isDirectory(folder) && !Files.isWritable(folder)) {
        throw damaged(cacheDir, folder, "is not writable by this user");
      }
    }
    if (Files.isDirectory(cacheDir) && !Files.isWritable(cacheDir)) {
      throw damaged(cacheDir, cacheDir, "is not writable by this user");
    }
  }

  private static String kind(Path p) {
    return Files.isSymbolicLink(p) ? "a symlink" : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "a file"
        : Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? "a special file" : "missing";
  }

  private static IOException damaged(Path cacheDir, Path what, String problem) {
    String fix = what.equals(cacheDir)
        ? "remove it or choose another with --cache-dir"
        : "remove " + what + " (or the whole cache: rm -rf " + cacheDir + "; graft makes everything in it again), "
            + "or choose another with --cache-dir";
    return new IOException("graft's cache " + cacheDir + " cannot be used: " + what + " " + problem + "; " + fix);
  }
}
