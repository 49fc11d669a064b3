package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.MediaTypes.Compression;
import dev.graft.testing.NpmFixtures;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {
  @TempDir Path tmp;

  /** A real, multi-block input: the Alpine minirootfs tar (about 5 MiB). */
  private static byte[] alpineTar() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(TestData.alpine("3.16", "x86_64")))) {
      return in.readAllBytes();
    }
  }

  private static byte[] compress(byte[] data, LayerOptions options) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = Compressors.open(b, options)) {
      // Uneven write sizes: block boundaries must not depend on how callers chunk their writes.
      int off = 0;
      int step = 1;
      while (off < data.length) {
        int n = Math.min(step, data.length - off);
        out.write(data, off, n);
        off += n;
        step = step * 7 % 100_003 + 1;
      }
    }
    return b.toByteArray();
  }

  @Test
  void gzipBytesAreIdenticalForOneTwoAndFourThreads() throws Exception {
    byte[] tar = alpineTar();
    LayerOptions gzip = LayerOptions.of(Compression.GZIP);
    byte[] one = compress(tar, gzip.withThreads(1));
    assertThat(compress(tar, gzip.withThreads(2))).isEqualTo(one);
    assertThat(compress(tar, gzip.withThreads(4))).isEqualTo(one);
    assertThat(one.length).isLessThan(tar.length / 2);
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(one))) {
      assertThat(in.readAllBytes()).isEqualTo(tar);
    }
    Path f = tmp.resolve("x.gz");
    Files.write(f, one);
    Tools.runOk(Duration.ofMinutes(1), Tools.require("gzip").toString(), "-t", f.toString());
  }

  @Test
  void gzipOfEmptyAndTinyInputsIsValid() throws Exception {
    for (byte[] data : new byte[][] {new byte[0], {42}}) {
      byte[] gz = compress(data, LayerOptions.of(Compression.GZIP).withThreads(2));
      Path f = tmp.resolve("t.gz");
      Files.write(f, gz);
      Tools.runOk(Duration.ofMinutes(1), "gzip", "-t", f.toString());
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
    }
  }

  /**
   * Every shape of input, gzipped by graft on two threads, comes back exactly from the JDK's
   * GZIPInputStream and from three independent decompressors: gzip, pigz and zcat.
   */
  @Test
  void gzipLayersDecompressExactlyWithGzipPigzAndZcat() throws Exception {
    byte[] tar = alpineTar();
    byte[] random = new byte[1024 * 1024 + 5];
    new java.util.SplittableRandom(6).nextBytes(random);
    java.util.Map<String, byte[]> inputs = new java.util.LinkedHashMap<>();
    inputs.put("empty", new byte[0]);
    inputs.put("one byte", new byte[] {7});
    inputs.put("zeros", new byte[2 * 1024 * 1024]);
    inputs.put("random", random);
    inputs.put("text", Files.readAllBytes(NpmFixtures.file(NpmFixtures.NODE_X64, "CHANGELOG.md")));
    inputs.put("elf", Files.readAllBytes(NpmFixtures.file(NpmFixtures.ESBUILD_X64, "bin/esbuild")));
    inputs.put("tar", tar);
    for (int size : new int[] {32 * 1024, 128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1, 256 * 1024, 256 * 1024 + 1}) {
      inputs.put("tar prefix of " + size, java.util.Arrays.copyOf(tar, size));
    }
    for (var e : inputs.entrySet()) {
      byte[] data = e.getValue();
      byte[] gz = compress(data, LayerOptions.of(Compression.GZIP).withThreads(2));
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        assertThat(in.readAllBytes()).as(e.getKey() + " through GZIPInputStream").isEqualTo(data);
      }
      Path f = tmp.resolve("in.gz");
      Files.write(f, gz);
      for (String tool : new String[] {"gzip", "pigz", "zcat"}) {
        assertThat(decompressWith(tool, f)).as(e.getKey() + " through " + tool).isEqualTo(data);
      }
    }
  }

  private byte[] decompressWith(String tool, Path gz) throws Exception {
    Path out = tmp.resolve("out");
    List<String> command = tool.equals("zcat") ? List.of(Tools.require(tool).toString(), gz.toString())
        : List.of(Tools.require(tool).toString(), "-d", "-c", gz.toString());
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(false).start();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(tool + " exit status; stderr: " + err).isZero();
    assertThat(err).as(tool + " warnings").isEmpty();
    return Files.readAllBytes(out);
  }

  /**
   * Golden digest of a real tar gzipped by graft. If this changes, every gzip layer graft builds
   * changes digest: bump LayerCache.FORMAT and say so in NOTES.md in the same commit.
   */
  @Test
  void gzipOfARealTarHasItsGoldenDigest() throws Exception {
    byte[] gz = compress(alpineTar(), LayerOptions.of(Compression.GZIP).withThreads(2));
    assertThat(dev.graft.oci.Digest.sha256(gz).hex()).isEqualTo("f071162b45f31d821acb0e8cb8c3b3fac12917e3c600a3bf68e36866a515a4e7");
  }

  @Test
  void zstdBytesAreIdenticalForOneTwoAndFourWorkersAtLevelsThreeAndNine() throws Exception {
    byte[] tar = alpineTar();
    LayerOptions zstd = LayerOptions.of(Compression.ZSTD);
    byte[] one = compress(tar, zstd.withThreads(1));
    assertThat(compress(tar, zstd.withThreads(2))).isEqualTo(one);
    assertThat(zstdWithOwnBudget(tar, 3, 4)).isEqualTo(one); // four workers even on fewer cores
    // Home Assistant's level: the same for any worker count too, and not level 3's bytes
    LayerOptions zstd9 = LayerOptions.of(Compression.ZSTD, 9);
    byte[] nine = compress(tar, zstd9.withThreads(1));
    assertThat(zstdWithOwnBudget(tar, 9, 4)).isEqualTo(nine).isNotEqualTo(one);
    Path f = tmp.resolve("x.zst");
    Files.write(f, one);
    Tools.runOk(Duration.ofMinutes(1), Tools.require("zstd").toString(), "-q", "-t", f.toString());
  }

  /**
   * Golden digests of a real tar zstd-compressed by graft at levels 3 and 9, written the way
   * LayerWriter writes (a flush before the end). They pin the bytes across changes to how bytes
   * are handed to libzstd (a byte[] stream before, direct buffers since): any change here changes
   * every zstd layer's digest.
   */
  @Test
  void zstdOfARealTarHasItsGoldenDigestsAtLevelsThreeAndNine() throws Exception {
    byte[] tar = alpineTar();
    assertThat(dev.graft.oci.Digest.sha256(compressFlushed(tar, LayerOptions.of(Compression.ZSTD, 3).withThreads(2))).hex())
        .isEqualTo("dbf5d2509822f75626efb58dd3d3cbc1f6357929f638f98cd3aeef624bf98b43");
    assertThat(dev.graft.oci.Digest.sha256(compressFlushed(tar, LayerOptions.of(Compression.ZSTD, 9).withThreads(2))).hex())
        .isEqualTo("487e0bf4a8960382c5ced082e4351dee8c5d482a7863abfcef6cebafdedb7dc8");
    assertThat(dev.graft.oci.Digest.sha256(compress(tar, LayerOptions.of(Compression.ZSTD, 3).withThreads(1))).hex())
        .isEqualTo("e6021518d5f25955a7c068512c173034a11c78ad60c85d17fc7cb09e7cf882d0");
  }

  /** zstd with exactly {@code workers} workers: the process's budget ({@link ZstdWorkers}) would give at most the cores. */
  private static byte[] zstdWithOwnBudget(byte[] data, int level, int workers) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DirectZstdOutputStream out = new DirectZstdOutputStream(b, level, workers, new ZstdWorkers(workers))) {
      assertThat(out.workers()).isEqualTo(workers);
      out.write(data, 0, data.length);
    }
    return b.toByteArray();
  }

  /** As {@link #compress}, flushing before the close as {@link LayerWriter} does. */
  private static byte[] compressFlushed(byte[] data, LayerOptions options) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = Compressors.open(b, options)) {
      for (int off = 0; off < data.length; off += 65536) {
        out.write(data, off, Math.min(65536, data.length - off));
      }
      out.flush();
    }
    return b.toByteArray();
  }

  @Test
  void gzipBlockDeflateIsAPureFunction() {
    byte[] data = "the same bytes, the same output ".repeat(5000).getBytes();
    byte[] dict = java.util.Arrays.copyOf(data, 32 * 1024);
    assertThat(ParallelGzipOutputStream.deflate(data, dict, false, 6))
        .isEqualTo(ParallelGzipOutputStream.deflate(data.clone(), dict.clone(), false, 6));
  }
}
