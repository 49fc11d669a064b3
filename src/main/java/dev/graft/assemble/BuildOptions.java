package dev.graft.assemble;

import dev.graft.layer.SharedCache;
import dev.graft.oci.Require;
import dev.graft.transfer.TransferOptions;
import java.nio.file.Path;

/**
 * How to build: registry access and blob concurrency, what to do with verification errors, where
 * layers are cached (shared across builds) and where temporary files go, how many platforms build
 * at once (each holds its selected files' spool on disk, not in memory) and compression threads;
 * {@code shared} is the build cache kept beyond this machine that the local caches fall back on.
 */
public record BuildOptions(TransferOptions transfer, VerifyMode verify, Path cacheDir, Path workDir,
    int parallelPlatforms, int threads, SharedCache shared) {
  public BuildOptions {
    Require.nonNull("transfer, verify, cacheDir, workDir, shared", transfer, verify, cacheDir, workDir, shared);
    if (parallelPlatforms < 1 || threads < 1) {
      throw new IllegalArgumentException("parallelPlatforms and threads must be at least 1");
    }
  }

  public static BuildOptions defaults(Path cacheDir, Path workDir) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new BuildOptions(TransferOptions.defaults(), VerifyMode.STRICT, cacheDir, workDir, Math.min(2, cores), cores,
        SharedCache.NONE);
  }

  public BuildOptions withVerify(VerifyMode v) {
    return new BuildOptions(transfer, v, cacheDir, workDir, parallelPlatforms, threads, shared);
  }

  public BuildOptions withWorkDir(Path dir) {
    return new BuildOptions(transfer, verify, cacheDir, dir, parallelPlatforms, threads, shared);
  }

  public BuildOptions withShared(SharedCache s) {
    return new BuildOptions(transfer, verify, cacheDir, workDir, parallelPlatforms, threads, s);
  }

  public BuildOptions withTransfer(TransferOptions t) {
    return new BuildOptions(t, verify, cacheDir, workDir, parallelPlatforms, threads, shared);
  }
}
