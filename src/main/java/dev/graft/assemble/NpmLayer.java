package dev.graft.assemble;

import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.Prune;
import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.npm.ElfInterpreter;
import dev.graft.npm.FetchListener;
import dev.graft.npm.Libc;
import dev.graft.npm.Lockfile;
import dev.graft.npm.NpmException;
import dev.graft.npm.NpmInstall;
import dev.graft.npm.NpmTarget;
import dev.graft.npm.Npmrc;
import dev.graft.npm.TarballCache;
import dev.graft.npm.TarballFetcher;
import dev.graft.oci.Platform;
import dev.graft.registry.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entries of a {@code from: npm} layer for one platform: the libc decided (given, or for
 * {@code auto} the {@code PT_INTERP} of the {@code node} the image's PATH finds in the layers
 * before it or the base), then {@link NpmInstall} run and its tree placed onto the base.
 */
final class NpmLayer {
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private NpmLayer() {}

  /** What the layer holds and what the npm install decided (for the report and an SBOM). */
  record Made(List<LayerEntry> entries, NpmInstall.Result install, Libc libc) {}

  static Made make(LayerSpec spec, LayerSource.Npm npm, Platform platform, FileTree base, List<List<LayerEntry>> earlier,
      List<String> env, Path cacheDir, RetryPolicy retry, Map<String, String> processEnv) throws IOException {
    Libc libc = npm.libc().isPresent() ? npm.libc().get() : nodeLibc(spec, base, earlier, env);
    Lockfile lock = Lockfile.read(npm.lockfile());
    // ~/.npmrc under $HOME, as npm finds it (os.homedir()), not the passwd entry's home
    Npmrc rc = Npmrc.load(npm.lockfile().getParent(), dev.graft.oci.HomeDirectory.of(processEnv), processEnv);
    TarballFetcher fetcher = new TarballFetcher(new TarballCache(cacheDir), rc, retry, 8, FetchListener.NONE);
    NpmInstall.Result r = NpmInstall.run(lock, NpmTarget.of(platform, libc), spec.to().orElseThrow(),
        new NpmInstall.Options(npm.omit(), npm.allowScripts(), spec.prune() == Prune.PLATFORM, true), cacheDir, fetcher);
    List<LayerEntry> placed = dev.graft.fs.Placement.place(r.laidOut().entries(), base, p -> Optional.empty());
    return new Made(placed, r, libc);
  }

  /** The libc of the node the image will run: PATH's first {@code node}, in the layers before this one or the base. */
  static Libc nodeLibc(LayerSpec spec, FileTree base, List<List<LayerEntry>> earlier, List<String> env) throws IOException {
    String path = env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).reduce((a, b) -> b)
        .orElse(DEFAULT_PATH);
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
        if (e.type() == EntryType.SYMLINK) {
          String t = e.linkTarget().startsWith("/") ? e.linkTarget()
              : path.substring(0, path.lastIndexOf('/') + 1) + e.linkTarget();
          return headOf(dev.graft.layer.TarPaths.clean(t), base, earlier, depth + 1);
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
    if (n.isEmpty() || !n.get().isRegular()) {
      return Optional.empty();
    }
    try (InputStream in = base.openContent(n.get())) {
      return Optional.of(in.readNBytes(ElfInterpreter.HEAD));
    }
  }
}
