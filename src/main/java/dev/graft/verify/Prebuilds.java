package dev.graft.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * node-gyp-build's choice among a package's {@code prebuilds/<platform>-<arch>/*.node}: tags in
 * the file name ({@code napi}, {@code abi115}, {@code glibc}/{@code musl}, {@code armv7}; and the
 * 3.x style {@code node-115.node} / {@code node-napi.node}) must fit the running node and libc.
 *
 * @param dirs the prebuild directories for this os/arch (empty: none shipped)
 * @param selected the files node-gyp-build would accept, most specific first
 * @param available every prebuild directory the package ships (for messages)
 */
public record Prebuilds(List<String> dirs, List<String> selected, List<String> available) {
  public Prebuilds {
    dirs = List.copyOf(dirs);
    selected = List.copyOf(selected);
    available = List.copyOf(available);
  }

  /** Empty when the package has no {@code prebuilds/} folder. */
  public static Optional<Prebuilds> of(ImageFiles files, String pkgDir, NpmPlatform platform, int moduleVersion) {
    String root = ImagePaths.join(pkgDir, "prebuilds");
    if (!files.lstat(root).map(ImageFiles.Entry::isDirectory).orElse(false)) {
      return Optional.empty();
    }
    List<String> available = files.list(root);
    List<String> dirs = new ArrayList<>();
    for (String d : available) {
      int dash = d.lastIndexOf('-');
      if (dash < 0 || !d.substring(dash + 1).equals(platform.cpu())) {
        continue;
      }
      String os = d.substring(0, dash);
      if (os.equals("linux") || os.equals("linux" + (platform.libc() == Libc.MUSL ? "musl" : "glibc"))) {
        dirs.add(ImagePaths.join(root, d));
      }
    }
    List<String> selected = new ArrayList<>();
    for (String dir : dirs) {
      for (String f : files.list(dir)) {
        if (f.endsWith(".node") && accepts(f, platform, moduleVersion)) {
          selected.add(ImagePaths.join(dir, f));
        }
      }
    }
    selected.sort((a, b) -> Integer.compare(specificity(b), specificity(a)));
    return Optional.of(new Prebuilds(dirs, selected, available));
  }

  static boolean accepts(String file, NpmPlatform p, int moduleVersion) {
    String base = file.substring(0, file.length() - ".node".length());
    if (base.matches("(node|electron)-(\\d+|napi)")) { // node-gyp-build 3.x naming
      String abi = base.substring(base.indexOf('-') + 1);
      return base.startsWith("node") && (abi.equals("napi") || abi.equals(String.valueOf(moduleVersion)));
    }
    boolean napi = false;
    String abi = null;
    for (String tag : base.split("\\.")) {
      if (tag.equals("electron") || tag.equals("node-webkit")) {
        return false;
      } else if (tag.equals("napi")) {
        napi = true;
      } else if (tag.startsWith("abi")) {
        abi = tag.substring(3);
      } else if (tag.startsWith("armv") && p.armVersion() != null && !tag.substring(4).equals(p.armVersion())) {
        return false;
      } else if ((tag.equals("glibc") || tag.equals("musl")) && !tag.equals(p.libc().displayName())) {
        return false;
      }
    }
    return abi == null || napi || abi.equals(String.valueOf(moduleVersion));
  }

  private static int specificity(String path) {
    return ImagePaths.fileName(path).split("\\.").length;
  }
}
