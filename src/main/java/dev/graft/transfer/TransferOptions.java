package dev.graft.transfer;

import java.nio.file.Path;
import java.util.Set;

/**
 * How to reach images: registry settings (hosts spoken to over plain HTTP or with unverified
 * TLS, explicit credentials, an extra CA certificate) and how many blobs move at once.
 */
public record TransferOptions(
    Set<String> insecureRegistries, String username, String password, Path registryCert, int concurrency) {
  public static final int DEFAULT_CONCURRENCY = 4;

  public TransferOptions {
    insecureRegistries = Set.copyOf(insecureRegistries);
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("credentials need both a user name and a password");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
  }

  public static TransferOptions defaults() {
    return new TransferOptions(Set.of(), null, null, null, DEFAULT_CONCURRENCY);
  }

  public TransferOptions withConcurrency(int n) {
    return new TransferOptions(insecureRegistries, username, password, registryCert, n);
  }
}
