package dev.graft.testing;

import dev.graft.npm.FetchListener;
import dev.graft.npm.Npmrc;
import dev.graft.npm.TarballCache;
import dev.graft.npm.TarballFetcher;
import dev.graft.registry.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The npm app fixture ({@code testdata/npm-app}: a real lockfile with esbuild, rollup, sharp,
 * bcrypt, better-sqlite3 13, express and a dev dependency), the reference trees real
 * {@code npm ci} makes from it, and a tarball fetcher on the shared test cache.
 */
public final class NpmApp {
  private NpmApp() {}

  public static Path dir() {
    return TestData.projectRoot().resolve("testdata/npm-app");
  }

  public static Path lockfile() {
    return dir().resolve("package-lock.json");
  }

  /** The graft cache the npm tests share (tarballs and unpacked copies; safe to share). */
  public static Path graftCache() {
    return TestData.cacheDir().resolve("graft-npm-cache");
  }

  /** The directory holding node_modules/ as {@code npm ci --omit=dev --ignore-scripts --os=linux --cpu --libc} left it. */
  public static Path npmCiTree(Path appDir, String cpu, String libc) {
    Tools.require("npm");
    Path script = dir().resolve("npm-ci-tree.sh");
    List<String> cmd = List.of("bash", script.toString(), appDir.toString(), cpu, libc);
    Tools.Result r = Tools.run(Duration.ofMinutes(10), null, cmd).assertSuccess(cmd);
    return Path.of(r.stdout().strip());
  }

  /** A fetcher from the public registry into {@code cache}, with graft's default retry policy. */
  public static TarballFetcher fetcher(Path cache, FetchListener listener) {
    return new TarballFetcher(new TarballCache(cache), Npmrc.of("", Map.of()), RetryPolicy.defaults(), 8, listener);
  }
}
