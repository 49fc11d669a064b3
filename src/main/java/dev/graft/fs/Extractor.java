package dev.graft.fs;

import dev.graft.oci.Printable;
import dev.graft.oci.StagingDir;
import dev.graft.layer.TarPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies selected image paths into a host directory without ever writing outside it: image paths
 * are clean and absolute (so they stay below the directory lexically), links are never followed
 * on the host (every parent must be a real directory, files are created with NOFOLLOW and
 * CREATE_NEW), and a relative symlink that would point above the directory is refused before
 * anything is written. Absolute symlinks are kept as they are: they mean the image's root.
 */
public final class Extractor {
  private Extractor() {}

  /** What was written and what was skipped (devices and fifos are not recreated). */
  public record Result(int written, List<String> skipped) {
    public Result {
      skipped = List.copyOf(skipped);
    }
  }

  public static Result extract(FileTree tree, List<SelectedEntry> selected, Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    for (SelectedEntry s : selected) {
      checkLinkStaysInside(s);
    }
    Files.createDirectories(root);
    requireRealDirectory(root, root);
    List<String> skipped = new ArrayList<>();
    Map<ContentRef, List<SelectedEntry>> files = new HashMap<>();
    List<SelectedEntry> dirs = new ArrayList<>();
    int written = 0;
    for (SelectedEntry s : selected) {
      TreeEntry n = s.source();
      if (s.destination().equals("/")) {
        continue; // the image root is DIR itself, which keeps its own mode
      }
      Path target = hostPath(root, s.destination());
      switch (n.metadata().type()) {
        case DIR -> {
          mkdirs(root, target);
          dirs.add(s);
        }
        case FILE, HARDLINK -> files.computeIfAbsent(n.content(), k -> new ArrayList<>()).add(s);
        case SYMLINK -> {
          mkdirs(root, target.getParent());
          replaceable(root, target);
          Files.createSymbolicLink(target, Path.of(n.metadata().linkTarget()));
        }
        default -> {
          skipped.add(s.destination() + " (" + n.metadata().type().name().toLowerCase(java.util.Locale.ROOT)
              + ")");
          continue;
        }
      }
      written++;
    }
    writeFiles(tree, root, files);
    // Directory modes last, so a read-only directory does not block writing its children.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      applyMode(hostPath(root, dirs.get(i).destination()), dirs.get(i).source().metadata().mode());
    }
    return new Result(written, skipped);
  }

  /**
   * Writes file contents into a staging directory inside DIR first and moves them into place only
   * when every layer they came from was read to its end and proved genuine, so DIR never holds a
   * byte of a layer that fails its digest.
   */
  private static void writeFiles(FileTree tree, Path root, Map<ContentRef, List<SelectedEntry>> files) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    StagingDir.sweep(root, ".graft-extract-"); // what a killed extract left
    try (StagingDir stagingDir = StagingDir.create(root, ".graft-extract-")) {
      Path staging = stagingDir.path();
      Map<ContentRef, Path> staged = new HashMap<>();
      List<TreeEntry> firsts = files.values().stream().map(l -> l.get(0).source()).toList();
      tree.readContents(firsts, (ref, size, in) -> {
        Path file = staging.resolve(Integer.toString(staged.size()));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(out);
        }
        staged.put(ref, file);
      });
      for (Map.Entry<ContentRef, List<SelectedEntry>> e : files.entrySet()) {
        List<SelectedEntry> group = e.getValue();
        Path first = hostPath(root, group.get(0).destination());
        mkdirs(root, first.getParent());
        replaceable(root, first);
        Files.move(staged.get(e.getKey()), first, StandardCopyOption.ATOMIC_MOVE);
        applyMode(first, group.get(0).source().metadata().mode());
        for (SelectedEntry other : group.subList(1, group.size())) {
          Path p = hostPath(root, other.destination());
          mkdirs(root, p.getParent());
          replaceable(root, p);
          Files.createLink(p, first); // same inode, as in the image
        }
      }
    }
  }

  /** A relative symlink must not climb above the extraction directory from where it is placed. */
  static void checkLinkStaysInside(SelectedEntry s) throws IOException {
    TreeEntry n = s.source();
    if (!n.metadata().isSymlink() || n.metadata().linkTarget().startsWith("/")) {
      return;
    }
    int depth = TarPaths.parent(s.destination()).equals("/") ? 0 : TarPaths.parent(s.destination()).split("/").length - 1;
    for (String part : n.metadata().linkTarget().split("/")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        throw new IOException("refusing to extract symlink " + Printable.path(s.destination()) + " -> "
            + Printable.path(n.metadata().linkTarget())
            + ": it points outside the extraction directory");
      }
    }
  }

  private static Path hostPath(Path root, String imagePath) throws IOException {
    Path p = root.resolve(imagePath.substring(1)).normalize();
    if (!p.startsWith(root) || imagePath.equals("/")) {
      throw new IOException("refusing to write " + Printable.path(imagePath) + ": outside " + root);
    }
    return p;
  }

  /** Creates missing directories one by one, refusing any existing component that is not a real directory. */
  private static void mkdirs(Path root, Path dir) throws IOException {
    Path current = root;
    for (Path part : root.relativize(dir)) {
      current = current.resolve(part);
      try {
        Files.createDirectory(current);
      } catch (FileAlreadyExistsException e) {
        requireRealDirectory(root, current);
      }
    }
  }

  private static void requireRealDirectory(Path root, Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory()) {
      throw new IOException("refusing to write below " + p + ": it exists in " + root + " and is not a directory"
          + (a.isSymbolicLink() ? " (a symlink, which could lead outside)" : ""));
    }
  }

  /** Removes an existing non-directory at {@code p} (never following it), so the new entry replaces it. */
  private static void replaceable(Path root, Path p) throws IOException {
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("cannot write " + root.relativize(p) + ": a directory is in the way");
      }
      Files.delete(p);
    }
  }

  private static void applyMode(Path p, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    Files.setPosixFilePermissions(p, perms);
  }
}
