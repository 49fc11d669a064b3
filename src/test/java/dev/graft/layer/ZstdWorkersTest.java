package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.testing.AlpineRootfs;
import dev.graft.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-wide bound on zstd workers: a stream takes what is free, waits while nothing is, and
 * gives its workers back when it ends; whatever a stream got, its bytes are the same.
 */
class ZstdWorkersTest {
  @TempDir Path tmp;

  /** Real, compressible input of several zstd-9 jobs (busybox repeated with a counter: ~36 MiB). */
  private static byte[] input() {
    byte[] busybox = AlpineRootfs.file("3.18", "x86_64", "bin/busybox");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; b.size() < (36 << 20); i++) {
      b.writeBytes(busybox);
      b.writeBytes(("part " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return b.toByteArray();
  }

  private static byte[] compress(byte[] data, int workers, ZstdWorkers budget) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DirectZstdOutputStream out = new DirectZstdOutputStream(b, 9, workers, budget)) {
      out.write(data, 0, data.length);
    }
    return b.toByteArray();
  }

  @Test
  void aStreamWaitsWhileTheBudgetIsTakenAndStartsWhenItIsGivenBack() throws Exception {
    ZstdWorkers budget = new ZstdWorkers(2);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      DirectZstdOutputStream first = new DirectZstdOutputStream(new ByteArrayOutputStream(), 9, 2, budget);
      assertThat(first.workers()).isEqualTo(2);
      Future<DirectZstdOutputStream> second = pool.submit(() ->
          new DirectZstdOutputStream(new ByteArrayOutputStream(), 9, 2, budget));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (budget.waits() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(budget.waits()).isEqualTo(1);
      assertThat(second).isNotDone();
      first.close();
      try (DirectZstdOutputStream s = second.get(30, TimeUnit.SECONDS)) {
        assertThat(s.workers()).isEqualTo(2);
      }
      assertThat(budget.peak()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStreamTakesWhatIsFreeAndItsBytesAreTheSame() throws Exception {
    byte[] data = input();
    ZstdWorkers budget = new ZstdWorkers(3);
    byte[] two = compress(data, 2, budget);
    DirectZstdOutputStream holding = new DirectZstdOutputStream(new ByteArrayOutputStream(), 9, 2, budget);
    byte[] one;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DirectZstdOutputStream out = new DirectZstdOutputStream(b, 9, 2, budget)) {
      assertThat(out.workers()).isEqualTo(1); // only one was free
      out.write(data, 0, data.length);
    } finally {
      holding.close();
    }
    one = b.toByteArray();
    assertThat(one).isEqualTo(two);
    Path f = Files.write(tmp.resolve("layer.zst"), one);
    Tools.runOk(Duration.ofMinutes(1), Tools.require("zstd").toString(), "-q", "-t", f.toString());
  }

  @Test
  void fourStreamsAtOnceNeverRunMoreWorkersThanTheBudget() throws Exception {
    byte[] data = input();
    byte[] alone = compress(data, 2, new ZstdWorkers(2));
    ZstdWorkers budget = new ZstdWorkers(2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<byte[]>> streams = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        streams.add(CompletableFuture.supplyAsync(() -> {
          try {
            return compress(data, 2, budget);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, pool));
      }
      for (CompletableFuture<byte[]> s : streams) {
        assertThat(s.get(5, TimeUnit.MINUTES)).isEqualTo(alone);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(budget.peak()).isEqualTo(2);
    assertThat(budget.waits()).isPositive();
    // all given back: a stream wanting the whole budget gets it at once
    try (DirectZstdOutputStream s = new DirectZstdOutputStream(new ByteArrayOutputStream(), 9, 2, budget)) {
      assertThat(s.workers()).isEqualTo(2);
    }
  }

  @Test
  void aStreamInterruptedWhileWaitingTakesNothing() throws Exception {
    ZstdWorkers budget = new ZstdWorkers(1);
    try (DirectZstdOutputStream held = new DirectZstdOutputStream(new ByteArrayOutputStream(), 3, 1, budget)) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> new DirectZstdOutputStream(new ByteArrayOutputStream(), 3, 1, budget))
          .isInstanceOf(InterruptedIOException.class).hasMessageContaining("zstd worker");
      assertThat(Thread.interrupted()).isTrue();
    }
    try (DirectZstdOutputStream s = new DirectZstdOutputStream(new ByteArrayOutputStream(), 3, 1, budget)) {
      assertThat(s.workers()).isEqualTo(1);
    }
  }
}
