package dev.graft.assemble;

import dev.graft.transfer.TransferOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to build: registry access and blob concurrency, what to do with verification errors, where
 * layers are cached (shared across builds) and where temporary files go, how many platforms build
 * at once (each holds its selected files' spool on disk, not in memory) and compression threads.
 */
public record BuildOptions(TransferOptions transfer, VerifyMode verify, Path cacheDir, Path workDir,
    int parallelPlatforms, int threads) {
  public BuildOptions {
    Objects.requireNonNull(transfer, "transfer");
    Objects.requireNonNull(verify, "verify");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(workDir, "workDir");
    if (parallelPlatforms < 1 || threads < 1) {
      throw new IllegalArgumentException("parallelPlatforms and threads must be at least 1");
    }
  }

  public static BuildOptions defaults(Path cacheDir, Path workDir) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new BuildOptions(TransferOptions.defaults(), VerifyMode.STRICT, cacheDir, workDir, Math.min(2, cores), cores);
  }

  public BuildOptions withVerify(VerifyMode v) {
    return new BuildOptions(transfer, v, cacheDir, workDir, parallelPlatforms, threads);
  }

  public BuildOptions withWorkDir(Path dir) {
    return new BuildOptions(transfer, verify, cacheDir, dir, parallelPlatforms, threads);
  }

  public BuildOptions withTransfer(TransferOptions t) {
    return new BuildOptions(t, verify, cacheDir, workDir, parallelPlatforms, threads);
  }
}
