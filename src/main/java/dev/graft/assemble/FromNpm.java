package dev.graft.assemble;

import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.Prune;
import dev.graft.fs.FileTree;
import dev.graft.fs.Placement;
import dev.graft.layer.LayerEntry;
import dev.graft.npm.FetchListener;
import dev.graft.npm.Libc;
import dev.graft.npm.Lockfile;
import dev.graft.npm.NpmInstall;
import dev.graft.npm.NpmTarget;
import dev.graft.npm.Npmrc;
import dev.graft.npm.TarballCache;
import dev.graft.npm.TarballFetcher;
import dev.graft.oci.HomeDirectory;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * node_modules laid out from a lockfile ({@code from: npm}) for one platform: the libc decided
 * (given, or for {@code auto} the libc of the node the image runs: {@link NodeLibc}), then
 * {@link NpmInstall} run (it applies {@code prune: platform} itself) and its tree placed onto the
 * base. What was installed and left out is said in the report ({@link NpmNotes}) and to the
 * listener (an SBOM lists the packages).
 */
final class FromNpm implements LayerFiles {
  private final LayerSpec spec;
  private final LayerSource.Npm npm;
  private final LayerInputs in;

  FromNpm(LayerSpec spec, LayerSource.Npm npm, LayerInputs in) {
    this.spec = spec;
    this.npm = npm;
    this.in = in;
  }

  /** What the layer holds and what the npm install decided (for the report and an SBOM). */
  record Made(List<LayerEntry> entries, NpmInstall.Result install, Libc libc) {}

  @Override
  public String history() {
    return "npm " + npm.lockfile().getFileName();
  }

  @Override
  public LayerSelection select(EarlierLayers earlier) {
    Made made = in.steps().run("lay out npm packages of " + Steps.layer(spec), npm.lockfile().getFileName().toString(),
        () -> make(in.sources().baseTree().get(), earlier));
    in.listener().npmInstalled(in.platform(), spec.name(), made.install(), made.libc());
    return new LayerSelection(made.entries(), NpmNotes.of(spec, made), LayerWrite.FROM_CACHE_OR_NEW, true);
  }

  private Made make(FileTree base, EarlierLayers earlier) throws IOException {
    Libc libc = npm.libc().isPresent() ? npm.libc().get() : NodeLibc.of(spec, base, earlier.entries(), in.imageEnv());
    Lockfile lock = Lockfile.read(npm.lockfile());
    // ~/.npmrc under $HOME, as npm finds it (os.homedir()), not the passwd entry's home
    Npmrc rc = Npmrc.load(npm.lockfile().getParent(), HomeDirectory.of(in.processEnv()), in.processEnv());
    TarballFetcher fetcher = new TarballFetcher(new TarballCache(in.cacheDir()), rc, in.retry(), 8, FetchListener.NONE);
    NpmInstall.Result r = NpmInstall.run(lock, NpmTarget.of(in.platform(), libc), spec.to().orElseThrow(),
        new NpmInstall.Options(npm.omit(), npm.allowScripts(), spec.prune() == Prune.PLATFORM, true), in.cacheDir(),
        fetcher);
    return new Made(Placement.place(r.laidOut().entries(), base, p -> Optional.empty()), r, libc);
  }
}
