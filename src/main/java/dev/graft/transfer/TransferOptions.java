package dev.graft.transfer;

import dev.graft.registry.RegistryOptions;
import java.util.Objects;

/** How to reach images (registry settings) and how many blobs move at once. */
public record TransferOptions(RegistryOptions registry, int concurrency) {
  public static final int DEFAULT_CONCURRENCY = 4;

  public TransferOptions {
    Objects.requireNonNull(registry, "registry");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
  }

  /** Default registry options (docker config, no insecure hosts) and {@value #DEFAULT_CONCURRENCY} blobs at once. */
  public static TransferOptions defaults() {
    return new TransferOptions(RegistryOptions.defaults(), DEFAULT_CONCURRENCY);
  }

  public TransferOptions withRegistry(RegistryOptions r) {
    return new TransferOptions(r, concurrency);
  }

  public TransferOptions withConcurrency(int n) {
    return new TransferOptions(registry, n);
  }
}
