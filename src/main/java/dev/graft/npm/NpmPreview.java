package dev.graft.npm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@code from: npm} layer will install for a target, for {@code graft plan}: the
 * selection, and the install-script verdicts, for which only the tarballs of packages the
 * lockfile marks {@code hasInstallScript} are fetched (into the cache the build uses).
 */
public record NpmPreview(Selection selection, List<ScriptVerdict> verdicts) {
  public NpmPreview {
    Objects.requireNonNull(selection, "selection");
    verdicts = List.copyOf(verdicts);
  }

  public static NpmPreview of(Lockfile lock, NpmTarget target, Set<Omit> omit, boolean allowScripts, Path cacheDir,
      TarballFetcher fetcher) throws IOException {
    Selection s = PackageSelector.select(lock, target, omit);
    List<LockedPackage> scripted = s.installed().stream().filter(LockedPackage::hasInstallScript).toList();
    Map<String, Path> tarballs = fetcher.fetchAll(scripted);
    Map<String, UnpackedTarball> unpacked = new LinkedHashMap<>();
    for (LockedPackage p : scripted) {
      if (tarballs.containsKey(p.path())) {
        unpacked.put(p.path(), UnpackedTarball.open(cacheDir, p.integrity().orElseThrow(), tarballs.get(p.path()), p.id()));
      }
    }
    return new NpmPreview(s, NpmInstall.verdicts(s, unpacked, target, allowScripts));
  }
}
