package dev.graft.reliability;

import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.registry.RegistryOptions;
import dev.graft.registry.RetryPolicy;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.Tools;
import dev.graft.transfer.CopyListener;
import dev.graft.transfer.CopyResult;
import dev.graft.transfer.ImageCopier;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Shared pieces of the fault tests: a fast retry policy, copying, and skopeo as the judge of tags. */
final class Faults {
  private Faults() {}

  /** Retries quickly (tests must not wait seconds per retry); jitter fixed for repeatable runs. */
  static RetryPolicy fastRetries() {
    return RetryPolicy.defaults().withDelays(Duration.ofMillis(5), Duration.ofMillis(50))
        .withMaxRetryAfter(Duration.ofMillis(200)).withRequestTimeout(Duration.ofSeconds(10)).withJitter(() -> 0.5);
  }

  static TransferOptions options(RetryPolicy policy) {
    return new TransferOptions(RegistryOptions.defaults().withRetry(policy), 4);
  }

  static CopyResult copy(String source, String destination, RetryPolicy policy) throws IOException {
    return copy(source, destination, policy, 4);
  }

  /** As {@link #copy(String, String, RetryPolicy)}, moving {@code concurrency} blobs at once. */
  static CopyResult copy(String source, String destination, RetryPolicy policy, int concurrency) throws IOException {
    TransferOptions opts = options(policy);
    try (ImageSource in = Images.open(ImageRef.parse(source), opts);
        ImageSink sink = Images.create(ImageRef.parse(destination), opts)) {
      return new ImageCopier(concurrency, CopyListener.NONE).copy(in, sink, Optional.empty());
    }
  }

  /** The digest a tag points at, as skopeo (not graft) reads it straight from the registry. */
  static Digest tagDigest(RealRegistry registry, String repoAndTag) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(registry.skopeoArgs());
    cmd.add("docker://" + registry.hostPort() + "/" + repoAndTag);
    Tools.require("skopeo");
    String raw = Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout();
    return Digest.sha256(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** A pacer that records the waits asked for and lets no real time pass. */
  static final class RecordingPacer implements RetryPolicy.Pacer {
    final List<Duration> sleeps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long nanos;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public Instant now() {
      return Instant.parse("2026-01-01T00:00:00Z").plusNanos(nanos);
    }

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      nanos += d.toNanos();
    }
  }
}
