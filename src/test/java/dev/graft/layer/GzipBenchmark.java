package dev.graft.layer;

import dev.graft.oci.MediaTypes.Compression;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares graft's deterministic gzip with {@code gzip -6} on the same file (size and speed; best
 * of three runs). Not a test: timings vary by machine, so nothing asserts on them.
 *   usage: GzipBenchmark FILE   (run by bench/compress.sh)
 */
public final class GzipBenchmark {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    byte[] data = Files.readAllBytes(file);
    System.out.printf("input: %s, %.1f MiB%n", file.getFileName(), data.length / 1048576.0);
    long[] gzip = systemGzip(file);
    System.out.printf("%-28s %12d bytes  ratio %.4f  %7.0f ms  %6.1f MiB/s%n", "gzip -6 (system)", gzip[0],
        (double) gzip[0] / data.length, gzip[1] / 1e6, data.length / 1048576.0 / (gzip[1] / 1e9));
    for (int threads : new int[] {1, 2}) {
      long best = Long.MAX_VALUE;
      long size = 0;
      for (int i = -1; i < 3; i++) { // run -1 warms up the JIT and is not counted
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length / 2);
        long t0 = System.nanoTime();
        try (OutputStream out = Compressors.open(b, LayerOptions.of(Compression.GZIP).withThreads(threads))) {
          out.write(data);
        }
        if (i >= 0) {
          best = Math.min(best, System.nanoTime() - t0);
        }
        size = b.size();
      }
      System.out.printf("%-28s %12d bytes  ratio %.4f  %7.0f ms  %6.1f MiB/s  (size vs gzip -6: %+.2f%%)%n",
          "graft gzip -6, " + threads + " thread" + (threads > 1 ? "s" : ""), size, (double) size / data.length,
          best / 1e6, data.length / 1048576.0 / (best / 1e9), 100.0 * (size - gzip[0]) / gzip[0]);
    }
  }

  private static long[] systemGzip(Path file) throws Exception {
    long best = Long.MAX_VALUE;
    long size = 0;
    for (int i = 0; i < 3; i++) {
      File out = File.createTempFile("bench", ".gz");
      try {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("gzip", "-6", "-n", "-c", file.toString()).redirectOutput(out).start();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("gzip failed");
        }
        best = Math.min(best, System.nanoTime() - t0);
        size = out.length();
      } finally {
        out.delete();
      }
    }
    return new long[] {size, best};
  }
}
