package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import dev.graft.npm.ElfInterpreter;
import dev.graft.npm.Libc;
import dev.graft.npm.NpmException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The libc of the node the image will run: the {@code PT_INTERP} of PATH's first {@code node}, in
 * the layers before a layer or the base. {@code from: npm} installs for it ({@code libc: auto}),
 * and {@code prune: platform} keeps its prebuilds.
 */
final class NodeLibc {
  private NodeLibc() {}

  /**
   * @param env the image's environment (its PATH is searched)
   * @throws NpmException when no node is on PATH, or its loader is neither glibc's nor musl's
   */
  static Libc of(LayerSpec spec, FileTree base, List<List<LayerEntry>> earlier, List<String> env) throws IOException {
    String path = env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).reduce((a, b) -> b)
        .orElse(ComposeConfig.DEFAULT_PATH);
    for (String dir : path.split(":")) {
      if (!dir.startsWith("/")) {
        continue;
      }
      String candidate = (dir.endsWith("/") ? dir : dir + "/") + "node";
      Optional<byte[]> head = headOf(candidate, base, earlier, 0);
      if (head.isPresent()) {
        Optional<String> interp = ElfInterpreter.of(head.get());
        return interp.flatMap(Libc::ofInterpreter).orElseThrow(() -> new NpmException("layer '" + spec.name()
            + "' has libc: auto, but " + candidate + " (the node on the image's PATH) names no glibc or musl loader"
            + interp.map(i -> " (" + i + ")").orElse(" (static, or not an ELF program)")
            + "; set libc: glibc or libc: musl on the layer"));
      }
    }
    throw new NpmException("layer '" + spec.name() + "' has libc: auto, but no node is on the image's PATH (" + path
        + ") in the base or the layers before it; add the node layer first (e.g. recipe: node-runtime), or set "
        + "libc: glibc or libc: musl");
  }

  /** The first bytes of the file at {@code path}: from the last earlier layer that has it, else the base (links followed). */
  private static Optional<byte[]> headOf(String path, FileTree base, List<List<LayerEntry>> earlier, int depth)
      throws IOException {
    if (depth > 16) {
      return Optional.empty();
    }
    for (int i = earlier.size() - 1; i >= 0; i--) {
      for (LayerEntry e : earlier.get(i)) {
        if (!e.path().equals(path)) {
          continue;
        }
        if (e.metadata().isSymlink()) {
          String link = e.metadata().linkTarget();
          String t = link.startsWith("/") ? link : path.substring(0, path.lastIndexOf('/') + 1) + link;
          return headOf(TarPaths.clean(t), base, earlier, depth + 1);
        }
        if (e.content() == null) {
          return Optional.empty();
        }
        try (InputStream in = e.content().open()) {
          return Optional.of(in.readNBytes(ElfInterpreter.HEAD));
        }
      }
    }
    Optional<TreeEntry> n = base.find(path);
    if (n.isEmpty() || !n.get().metadata().isRegular()) {
      return Optional.empty();
    }
    try (InputStream in = base.openContent(n.get())) {
      return Optional.of(in.readNBytes(ElfInterpreter.HEAD));
    }
  }
}
