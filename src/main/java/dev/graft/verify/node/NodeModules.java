package dev.graft.verify.node;

import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Installed npm packages in an image: walking node_modules folders the way Node resolves them. */
public final class NodeModules {
  static final int MAX_DEPTH = 24;
  static final int MAX_PACKAGES = 100_000;

  private NodeModules() {}

  /** Every package under a {@code node_modules} folder (scoped and nested ones too), in path order. */
  public static List<NpmPackage> packages(ImageFiles files, String nodeModulesDir) {
    List<NpmPackage> out = new ArrayList<>();
    walk(files, nodeModulesDir, 0, out);
    return out;
  }

  private static void walk(ImageFiles files, String nodeModules, int depth, List<NpmPackage> out) {
    if (depth > MAX_DEPTH || out.size() >= MAX_PACKAGES) {
      return;
    }
    for (String name : files.list(nodeModules)) {
      String dir = ImagePaths.join(nodeModules, name);
      if (name.startsWith(".") || !isDir(files, dir)) {
        continue; // .bin, .package-lock.json; symlinked packages (npm link, pnpm) are not followed
      }
      if (name.startsWith("@")) {
        for (String scoped : files.list(dir)) {
          visit(files, ImagePaths.join(dir, scoped), depth, out);
        }
      } else {
        visit(files, dir, depth, out);
      }
    }
  }

  private static void visit(ImageFiles files, String dir, int depth, List<NpmPackage> out) {
    if (!isDir(files, dir)) {
      return;
    }
    NpmPackage.read(files, dir).filter(p -> !p.name().isEmpty()).ifPresent(out::add);
    String nested = ImagePaths.join(dir, "node_modules");
    if (isDir(files, nested)) {
      walk(files, nested, depth + 1, out);
    }
  }

  private static boolean isDir(ImageFiles files, String path) {
    return files.lstat(path).map(ImageFiles.Entry::isDirectory).orElse(false);
  }

  /** Node's lookup of a bare package name from a package directory: each ancestor's node_modules. */
  public static Optional<NpmPackage> resolve(ImageFiles files, String fromDir, String name) {
    for (String d = fromDir; ; d = ImagePaths.parent(d)) {
      if (!ImagePaths.fileName(d).equals("node_modules")) {
        String candidate = ImagePaths.join(d, "node_modules/" + name);
        Optional<ResolvedPath> r = ImagePaths.resolve(files, candidate);
        if (r.isPresent() && r.get().entry().isDirectory()) {
          Optional<NpmPackage> p = NpmPackage.read(files, r.get().path());
          if (p.isPresent()) {
            return p;
          }
        }
      }
      if (d.equals("/")) {
        return Optional.empty();
      }
    }
  }
}
