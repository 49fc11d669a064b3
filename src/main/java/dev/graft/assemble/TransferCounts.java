package dev.graft.assemble;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Blob counts across every target of a build; blobs move on several threads. */
final class TransferCounts {
  private final AtomicInteger uploaded = new AtomicInteger();
  private final AtomicLong bytesUploaded = new AtomicLong();
  private final AtomicInteger mounted = new AtomicInteger();
  private final AtomicLong bytesMounted = new AtomicLong();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicLong bytesSkipped = new AtomicLong();
  private final AtomicInteger written = new AtomicInteger();
  private final AtomicLong bytesWritten = new AtomicLong();

  void count(String outcome, long size) {
    switch (outcome) {
      case "uploaded" -> {
        uploaded.incrementAndGet();
        bytesUploaded.addAndGet(size);
      }
      case "mounted" -> {
        mounted.incrementAndGet();
        bytesMounted.addAndGet(size);
      }
      case "written" -> {
        written.incrementAndGet();
        bytesWritten.addAndGet(size);
      }
      default -> {
        skipped.incrementAndGet();
        bytesSkipped.addAndGet(size);
      }
    }
  }

  BuildResult.Transfer snapshot() {
    return new BuildResult.Transfer(uploaded.get(), bytesUploaded.get(), mounted.get(), bytesMounted.get(),
        skipped.get(), bytesSkipped.get(), written.get(), bytesWritten.get());
  }
}
