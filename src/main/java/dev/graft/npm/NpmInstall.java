package dev.graft.npm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code npm ci --os --cpu --libc --omit --ignore-scripts} for one target, without npm: select
 * the packages, bring their tarballs into the cache (verified), judge their install scripts,
 * and lay them out as layer entries under {@code to}. Throws {@link NpmException} naming every
 * package whose install script graft cannot do without (unless scripts are allowed) before any
 * entry is made.
 */
public final class NpmInstall {
  private NpmInstall() {}

  /**
   * @param omit kinds left out ({@code npm ci --omit})
   * @param allowScripts whether a package that needs its install script is let through (a warning)
   * @param prune whether {@code prune: platform} removes other platforms' prebuilds
   * @param libcKnown whether the libc that loads addons is known (then other-libc prebuilds go too)
   */
  public record Options(Set<Omit> omit, boolean allowScripts, boolean prune, boolean libcKnown) {
    public Options {
      omit = Set.copyOf(omit);
    }
  }

  /** The outcome for one target. */
  public record Result(Selection selection, List<ScriptVerdict> verdicts, LaidOut laidOut) {
    public Result {
      Objects.requireNonNull(selection, "selection");
      verdicts = List.copyOf(verdicts);
      Objects.requireNonNull(laidOut, "laidOut");
    }
  }

  public static Result run(Lockfile lock, NpmTarget target, String to, Options options, Path cacheDir,
      TarballFetcher fetcher) throws IOException {
    Selection selection = PackageSelector.select(lock, target, options.omit());
    Map<String, Path> tarballs = fetcher.fetchAll(selection.installed());
    Map<String, UnpackedTarball> unpacked = new LinkedHashMap<>();
    for (LockedPackage p : selection.installed()) {
      Path t = tarballs.get(p.path());
      if (t != null) {
        unpacked.put(p.path(), UnpackedTarball.open(cacheDir, p.integrity().orElseThrow(), t, p.id()));
      }
    }
    List<ScriptVerdict> verdicts = verdicts(selection, unpacked, target, options.allowScripts());
    List<ScriptVerdict> errors = verdicts.stream().filter(v -> v.kind() == ScriptVerdict.Kind.ERROR).toList();
    if (!errors.isEmpty()) {
      StringBuilder sb = new StringBuilder("lockfile " + lock.file() + ": " + (errors.size() == 1 ? "a package needs its"
          : errors.size() + " packages need their") + " install script for " + target + ", which graft does not run:");
      errors.forEach(v -> sb.append(" ").append(v.message()).append(errors.size() > 1 ? ";" : ""));
      throw new NpmException(sb.toString());
    }
    Optional<PlatformPrune> prune = options.prune() ? Optional.of(PlatformPrune.of(target, options.libcKnown()))
        : Optional.empty();
    LaidOut laid = NodeModulesLayout.layout(to, lock, selection, unpacked, prune);
    return new Result(selection, verdicts, laid);
  }

  /** The verdicts for the installed packages that have install scripts, in lockfile order. */
  public static List<ScriptVerdict> verdicts(Selection selection, Map<String, UnpackedTarball> unpacked,
      NpmTarget target, boolean allowScripts) throws IOException {
    List<ScriptVerdict> out = new ArrayList<>();
    for (LockedPackage p : selection.installed()) {
      UnpackedTarball t = unpacked.get(p.path());
      if (t != null) {
        InstallScripts.judge(p, t, target, allowScripts).ifPresent(out::add);
      }
    }
    return out;
  }
}
