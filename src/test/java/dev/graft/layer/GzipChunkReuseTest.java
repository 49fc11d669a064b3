package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewriting a gzip layer after a small change takes the unchanged compressed blocks from the
 * previous blob, and the result is byte for byte what a cold write gives.
 */
class GzipChunkReuseTest {
  @TempDir Path tmp;

  private record Bytes(byte[] bytes) implements ContentSource {
    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public String identity() {
      return Digest.sha256(bytes).toString();
    }
  }

  /** An app's dist/: 3000 small modules in 50 directories; {@code changed} gets extra text. */
  private static List<LayerEntry> dist(int changed, String extra) {
    List<LayerEntry> out = new ArrayList<>();
    out.add(LayerEntry.directory("/app", 0755, 0, 0));
    out.add(LayerEntry.directory("/app/dist", 0755, 0, 0));
    for (int d = 0; d < 50; d++) {
      out.add(LayerEntry.directory("/app/dist/m" + d, 0755, 0, 0));
    }
    for (int i = 1; i <= 3000; i++) {
      String text = "export function f" + i + "(x) {\n  // module " + i + "\n  return x * " + i + " + \""
          + String.format("%0200d", i) + "\";\n}\n" + (i == changed ? extra : "");
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      out.add(LayerEntry.file("/app/dist/m" + (i % 50) + "/f" + i + ".js", 0644, 0, 0, b.length, new Bytes(b)));
    }
    return out;
  }

  /** Counts the blocks the index supplies. */
  private static final class Counting implements ParallelGzipOutputStream.Chunks {
    final ParallelGzipOutputStream.Chunks inner;
    final AtomicInteger asked = new AtomicInteger();
    final AtomicInteger found = new AtomicInteger();

    Counting(ParallelGzipOutputStream.Chunks inner) {
      this.inner = inner;
    }

    @Override
    public byte[] find(byte[] key) {
      asked.incrementAndGet();
      byte[] b = inner.find(key);
      if (b != null) {
        found.incrementAndGet();
      }
      return b;
    }
  }

  private LayerWriter.Written write(List<LayerEntry> entries, LayerOptions o, String name,
      ParallelGzipOutputStream.Chunks known) throws Exception {
    return LayerWriter.write(entries, o, tmp.resolve(name), known);
  }

  @Test
  void rewriteAfterOneFileChangedReusesTheOtherBlocksAndMatchesAColdWrite() throws Exception {
    LayerCache cache = new LayerCache(tmp.resolve("cache"));
    LayerOptions o = LayerOptions.defaults();
    cache.getOrWrite(dist(0, ""), o);
    // a change that moves every later entry (the file grows past its 512-byte tar block)
    List<LayerEntry> changed = dist(1500, "// " + "x".repeat(600) + "\n");
    Counting known = new Counting(GzipChunkIndex.open(tmp.resolve("cache/chunks/gzip"), cache::blobPath));
    LayerWriter.Written warm = write(changed, o, "warm.tar.gz", known);
    LayerWriter.Written cold = write(changed, o, "cold.tar.gz", null);

    assertThat(Files.readAllBytes(warm.layer().blob())).isEqualTo(Files.readAllBytes(cold.layer().blob()));
    assertThat(warm.layer().digest()).isEqualTo(cold.layer().digest());
    assertThat(warm.layer().diffId()).isEqualTo(cold.layer().diffId());
    int blocks = warm.chunks().size();
    assertThat(blocks).isGreaterThan(10);
    // the changed file's block and the one after it (its dictionary changed) are deflated again
    assertThat(known.found.get()).isBetween(blocks - 3, blocks - 1);
    assertThat(uncompressedDigest(warm.layer().blob())).isEqualTo(warm.layer().diffId());
  }

  @Test
  void theLayerCacheGivesTheSameLayerFromAWarmAndAColdCache() throws Exception {
    LayerCache warmCache = new LayerCache(tmp.resolve("warm"));
    LayerOptions o = LayerOptions.defaults();
    warmCache.getOrWrite(dist(0, ""), o);
    List<LayerEntry> changed = dist(7, "// changed\n");
    Layer warm = warmCache.getOrWrite(changed, o);
    Layer cold = new LayerCache(tmp.resolve("cold")).getOrWrite(changed, o);
    assertThat(warm.digest()).isEqualTo(cold.digest());
    assertThat(warm.diffId()).isEqualTo(cold.diffId());
    assertThat(Files.readAllBytes(warm.blob())).isEqualTo(Files.readAllBytes(cold.blob()));
  }

  @Test
  void blocksAreTheSameForOneAndFourThreadsWithAndWithoutReuse() throws Exception {
    LayerCache cache = new LayerCache(tmp.resolve("cache"));
    cache.getOrWrite(dist(0, ""), LayerOptions.defaults());
    List<LayerEntry> changed = dist(42, "// changed\n");
    GzipChunkIndex index = GzipChunkIndex.open(tmp.resolve("cache/chunks/gzip"), cache::blobPath);
    byte[] one = Files.readAllBytes(write(changed, LayerOptions.defaults().withThreads(1), "1", null).layer().blob());
    byte[] four = Files.readAllBytes(write(changed, LayerOptions.defaults().withThreads(4), "4", null).layer().blob());
    byte[] oneReused = Files.readAllBytes(write(changed, LayerOptions.defaults().withThreads(1), "1r", index).layer().blob());
    byte[] fourReused = Files.readAllBytes(write(changed, LayerOptions.defaults().withThreads(4), "4r", index).layer().blob());
    assertThat(four).isEqualTo(one);
    assertThat(oneReused).isEqualTo(one);
    assertThat(fourReused).isEqualTo(one);
  }

  @Test
  void aDamagedBlobOrIndexIsIgnored() throws Exception {
    LayerCache cache = new LayerCache(tmp.resolve("cache"));
    LayerOptions o = LayerOptions.defaults();
    Layer first = cache.getOrWrite(dist(0, ""), o);
    List<LayerEntry> changed = dist(2999, "// changed\n");
    byte[] cold = Files.readAllBytes(write(changed, o, "cold", null).layer().blob());

    // a damaged block in the old blob: that block is deflated again, the rest still reused
    byte[] blob = Files.readAllBytes(first.blob());
    blob[blob.length / 3] ^= 0x20;
    Files.write(first.blob(), blob);
    Counting known = new Counting(GzipChunkIndex.open(tmp.resolve("cache/chunks/gzip"), cache::blobPath));
    assertThat(Files.readAllBytes(write(changed, o, "damaged-blob", known).layer().blob())).isEqualTo(cold);
    assertThat(known.found.get()).isPositive().isLessThan(known.asked.get() - 1);

    // a blob cut short: nothing past its end is used
    Files.write(first.blob(), java.util.Arrays.copyOf(blob, blob.length / 2));
    assertThat(Files.readAllBytes(write(changed, o, "short-blob", GzipChunkIndex.open(
        tmp.resolve("cache/chunks/gzip"), cache::blobPath)).layer().blob())).isEqualTo(cold);

    // a damaged index file reads as empty
    Path index = tmp.resolve("cache/chunks/gzip");
    byte[] ib = Files.readAllBytes(index);
    Files.write(index, java.util.Arrays.copyOf(ib, ib.length - 7));
    Counting fromDamaged = new Counting(GzipChunkIndex.open(index, cache::blobPath));
    assertThat(Files.readAllBytes(write(changed, o, "damaged-index", fromDamaged).layer().blob())).isEqualTo(cold);
    assertThat(fromDamaged.found).hasValue(0);
  }

  @Test
  void cutPointsDependOnEntryNamesNotOnPositions() {
    // the selection is a function of the name alone, about one name in eight
    int selected = 0;
    for (int i = 0; i < 8000; i++) {
      String name = "/app/dist/m" + (i % 50) + "/f" + i + ".js";
      assertThat(ParallelGzipOutputStream.selected(name)).isEqualTo(ParallelGzipOutputStream.selected(new String(name)));
      selected += ParallelGzipOutputStream.selected(name) ? 1 : 0;
    }
    assertThat(selected).isBetween(800, 1200);
  }

  private static Digest uncompressedDigest(Path gz) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      java.security.MessageDigest md = Digest.newSha256();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return Digest.ofSha256(md.digest());
    }
  }
}
