package dev.graft.layer;

import java.io.InterruptedIOException;

/**
 * The process-wide budget of zstd workers, shared by every zstd stream graft has open (layers of
 * one platform are written up to four at once, platforms in parallel). Each worker of a stream
 * holds a compression context and a share of libzstd's job buffers (a level-9 stream: ~45 MiB of
 * its own plus ~37 MiB per worker, 16 MiB jobs), so four level-9 layers written at once with a
 * worker per core would hold ~4 × 120 MiB on two cores, and far more on many. With the budget, a
 * stream takes as many workers as it asks for, up to what is free, and waits while none is: never
 * more workers run than the budget (the cores: more gain no speed), so zstd's memory is bounded by
 * the core count whatever the number of layers. The bytes do not change: libzstd writes the same
 * frames for any worker count of one or more ({@code CompressionTest}).
 */
public final class ZstdWorkers {
  /** The process's budget: one worker per core. */
  public static final ZstdWorkers PROCESS = new ZstdWorkers(Runtime.getRuntime().availableProcessors());

  private final int budget;
  private int inUse;
  private int peak;
  private long waits;

  ZstdWorkers(int budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("a zstd worker budget must be at least 1, got " + budget);
    }
    this.budget = budget;
  }

  /** How many workers may run at once. */
  public int budget() {
    return budget;
  }

  /** The most workers that ever ran at once (what the bound holds to). */
  public synchronized int peak() {
    return peak;
  }

  /** How often a stream waited for a worker (the bound at work). */
  public synchronized long waits() {
    return waits;
  }

  /**
   * Takes up to {@code wanted} workers for one stream, at least one, waiting while none is free;
   * {@link #release} gives them back when the stream ends.
   */
  synchronized int take(int wanted) throws InterruptedIOException {
    if (wanted < 1) {
      throw new IllegalArgumentException("a zstd stream needs at least one worker, asked for " + wanted);
    }
    if (inUse >= budget) {
      waits++;
    }
    while (inUse >= budget) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a zstd worker");
      }
    }
    int n = Math.min(wanted, budget - inUse);
    inUse += n;
    peak = Math.max(peak, inUse);
    return n;
  }

  synchronized void release(int workers) {
    inUse -= workers;
    notifyAll();
  }
}
