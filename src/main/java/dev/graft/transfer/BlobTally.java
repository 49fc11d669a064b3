package dev.graft.transfer;

import dev.graft.oci.BlobOutcome;
import java.util.EnumMap;
import java.util.Map;

/** How many blobs, and how many of their bytes, a write put each way (uploaded, mounted, present, written). */
public record BlobTally(Map<BlobOutcome, Integer> blobs, Map<BlobOutcome, Long> bytes) {
  public static final BlobTally NONE = new BlobTally(Map.of(), Map.of());

  public BlobTally {
    blobs = Map.copyOf(blobs);
    bytes = Map.copyOf(bytes);
    if (blobs.values().stream().anyMatch(n -> n < 0) || bytes.values().stream().anyMatch(n -> n < 0)) {
      throw new IllegalArgumentException("negative counts in a blob tally: " + blobs + ", " + bytes);
    }
  }

  public int blobs(BlobOutcome outcome) {
    return blobs.getOrDefault(outcome, 0);
  }

  public long bytes(BlobOutcome outcome) {
    return bytes.getOrDefault(outcome, 0L);
  }

  /** This tally with one more blob of {@code size} bytes put as {@code outcome}. */
  public BlobTally plus(BlobOutcome outcome, long size) {
    return plus(outcome, 1, size);
  }

  /** Both tallies together (the targets of one build). */
  public BlobTally plus(BlobTally other) {
    BlobTally sum = this;
    for (BlobOutcome o : BlobOutcome.values()) {
      sum = sum.plus(o, other.blobs(o), other.bytes(o));
    }
    return sum;
  }

  private BlobTally plus(BlobOutcome outcome, int count, long size) {
    if (count == 0) {
      return this;
    }
    Map<BlobOutcome, Integer> b = new EnumMap<>(BlobOutcome.class);
    Map<BlobOutcome, Long> s = new EnumMap<>(BlobOutcome.class);
    b.putAll(blobs);
    s.putAll(bytes);
    b.merge(outcome, count, Integer::sum);
    s.merge(outcome, size, Long::sum);
    return new BlobTally(b, s);
  }
}
