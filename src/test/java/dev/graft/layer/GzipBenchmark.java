package dev.graft.layer;

import dev.graft.layer.deflate.DeflateEncoder;
import dev.graft.oci.MediaTypes.Compression;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compares, on the same files, {@code gzip -6}, graft's previous deflater (jzlib 1.1.3) and
 * graft's own encoder: output size, wall time and CPU time (best of three runs, after a warm-up
 * run that is not counted). jzlib and the encoder run the same pigz-style 128 KiB blocks with a
 * 32 KiB dictionary on one thread, so "per core" compares like with like; the encoder also runs
 * through the real {@link ParallelGzipOutputStream} on two threads. Not a test: timings vary by
 * machine and load, so nothing asserts on them.
 *   usage: GzipBenchmark FILE...   (run by bench/compress.sh)
 */
public final class GzipBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private interface BlockDeflater {
    byte[] deflate(byte[] data, byte[] dict, boolean last) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    System.out.printf("load average at start: %s%n", loadAverage());
    for (String arg : args) {
      Path file = Path.of(arg);
      byte[] data = Files.readAllBytes(file);
      System.out.printf("%ninput: %s, %.1f MiB%n", file.getFileName(), data.length / 1048576.0);
      long[] gzip = systemGzip(file);
      row("gzip -6 (system, C)", data.length, gzip, gzip);
      long[] jzlib = blocks(data, (d, dict, last) -> JzlibBlockDeflate.deflate(d, dict, last, 6));
      row("jzlib 1.1.3, 1 thread", data.length, jzlib, gzip);
      DeflateEncoder encoder = new DeflateEncoder(6);
      long[] ours = blocks(data, (d, dict, last) -> encoder.deflate(dict, d, 0, d.length, last));
      row("graft deflate, 1 thread", data.length, ours, gzip);
      long[] two = stream(data, 2);
      row("graft deflate, 2 threads", data.length, two, gzip);
      System.out.printf("  graft deflate vs jzlib, per core: %.2fx by CPU time, %.2fx by wall time;"
          + " size vs gzip -6: %+.2f%%%n", (double) jzlib[2] / ours[2], (double) jzlib[1] / ours[1],
          100.0 * (ours[0] - gzip[0]) / gzip[0]);
    }
    System.out.printf("%nload average at end: %s%n", loadAverage());
  }

  private static void row(String name, int inputSize, long[] r, long[] gzip) {
    System.out.printf("  %-26s %12d bytes  ratio %.4f  wall %7.0f ms  cpu %7.0f ms  %6.1f MiB/s  size vs gzip -6 %+.2f%%%n",
        name, r[0], (double) r[0] / inputSize, r[1] / 1e6, r[2] / 1e6, inputSize / 1048576.0 / (r[1] / 1e9),
        100.0 * (r[0] - gzip[0]) / gzip[0]);
  }

  /** One thread over pigz-style blocks; returns {bytes, best wall ns, best thread CPU ns}. */
  private static long[] blocks(byte[] data, BlockDeflater deflater) throws Exception {
    int block = ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE;
    long[] best = {0, Long.MAX_VALUE, Long.MAX_VALUE};
    for (int run = -1; run < 3; run++) { // run -1 warms up the JIT and is not counted
      long t0 = System.nanoTime();
      long c0 = THREADS.getCurrentThreadCpuTime();
      long size = 18; // gzip header and trailer
      for (int off = 0; off < data.length || off == 0; off += block) {
        int len = Math.min(block, data.length - off);
        byte[] dict = off == 0 ? null : Arrays.copyOfRange(data, off - 32 * 1024, off);
        size += deflater.deflate(Arrays.copyOfRange(data, off, off + len), dict, off + len >= data.length).length;
        if (len == 0) {
          break;
        }
      }
      long wall = System.nanoTime() - t0;
      long cpu = THREADS.getCurrentThreadCpuTime() - c0;
      if (run >= 0) {
        best = new long[] {size, Math.min(best[1], wall), Math.min(best[2], cpu)};
      }
    }
    return best;
  }

  /** The real stream on {@code threads} threads; CPU time is not measured (0). */
  private static long[] stream(byte[] data, int threads) throws Exception {
    long[] best = {0, Long.MAX_VALUE, 0};
    for (int run = -1; run < 3; run++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(data.length / 2);
      long t0 = System.nanoTime();
      try (OutputStream out = Compressors.open(b, LayerOptions.of(Compression.GZIP).withThreads(threads))) {
        out.write(data);
      }
      if (run >= 0) {
        best = new long[] {b.size(), Math.min(best[1], System.nanoTime() - t0), 0};
      }
    }
    return best;
  }

  /** {@code gzip -6 -n} under /usr/bin/time; returns {bytes, best wall ns, best user+sys CPU ns}. */
  private static long[] systemGzip(Path file) throws Exception {
    long[] best = {0, Long.MAX_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < 3; i++) {
      File out = File.createTempFile("bench", ".gz");
      File times = File.createTempFile("bench", ".time");
      try {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("/usr/bin/time", "-o", times.toString(), "-f", "%U %S",
            "gzip", "-6", "-n", "-c", file.toString()).redirectOutput(out).start();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("gzip failed");
        }
        long wall = System.nanoTime() - t0;
        String[] t = Files.readString(times.toPath()).trim().split("\\s+");
        long cpu = (long) ((Double.parseDouble(t[0]) + Double.parseDouble(t[1])) * 1e9);
        best = new long[] {out.length(), Math.min(best[1], wall), Math.min(best[2], cpu)};
      } finally {
        out.delete();
        times.delete();
      }
    }
    return best;
  }

  private static String loadAverage() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }
}
