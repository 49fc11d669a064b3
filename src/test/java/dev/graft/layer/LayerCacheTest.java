package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
  @TempDir Path tmp;

  /** Counts how often its bytes are read, to prove a cache hit reads nothing. */
  static final class CountingSource implements ContentSource {
    final AtomicInteger opens = new AtomicInteger();
    final byte[] bytes;

    CountingSource(String s) {
      bytes = s.getBytes();
    }

    @Override
    public InputStream open() {
      opens.incrementAndGet();
      return new java.io.ByteArrayInputStream(bytes);
    }

    @Override
    public String identity() {
      return dev.graft.oci.Digest.sha256(bytes).toString();
    }
  }

  private static List<LayerEntry> entries(CountingSource src) {
    return List.of(LayerEntry.directory("/app", 0755, 0, 0),
        LayerEntry.file("/app/x", 0644, 0, 0, src.bytes.length, src));
  }

  @Test
  void unchangedInputIsServedFromCacheWithoutReadingContent() throws Exception {
    LayerCache cache = new LayerCache(tmp);
    CountingSource src = new CountingSource("hello");
    Layer first = cache.getOrWrite(entries(src), LayerOptions.defaults());
    Layer second = cache.getOrWrite(entries(src), LayerOptions.defaults());
    assertThat(second).isEqualTo(first);
    assertThat(src.opens).hasValue(1);
    assertThat(first.blob()).isEqualTo(tmp.resolve("blobs/sha256/" + first.digest().hex()));
    try (var s = Files.list(tmp.resolve("tmp"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void changedContentOrOptionsGiveANewEntry() throws Exception {
    LayerCache cache = new LayerCache(tmp);
    Layer a = cache.getOrWrite(entries(new CountingSource("a")), LayerOptions.defaults());
    Layer b = cache.getOrWrite(entries(new CountingSource("b")), LayerOptions.defaults());
    Layer z = cache.getOrWrite(entries(new CountingSource("a")),
        LayerOptions.of(dev.graft.oci.MediaTypes.Compression.ZSTD));
    assertThat(List.of(a.digest(), b.digest(), z.digest())).doesNotHaveDuplicates();
    assertThat(z.diffId()).isEqualTo(a.diffId());
  }

  @Test
  void corruptBlobIsDetectedAndRebuilt() throws Exception {
    LayerCache cache = new LayerCache(tmp);
    CountingSource src = new CountingSource("precious");
    Layer first = cache.getOrWrite(entries(src), LayerOptions.defaults());
    byte[] bytes = Files.readAllBytes(first.blob());
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(first.blob(), bytes);
    Layer again = cache.getOrWrite(entries(src), LayerOptions.defaults());
    assertThat(again).isEqualTo(first);
    assertThat(src.opens).hasValue(2);
    assertThat(dev.graft.oci.Digest.ofSha256(
        dev.graft.oci.Digest.newSha256().digest(Files.readAllBytes(again.blob())))).isEqualTo(first.digest());
  }

  @Test
  void truncatedIndexEntryIsRebuilt() throws Exception {
    LayerCache cache = new LayerCache(tmp);
    Layer first = cache.getOrWrite(entries(new CountingSource("x")), LayerOptions.defaults());
    try (var s = Files.list(tmp.resolve("layers"))) {
      for (Path p : s.toList()) {
        Files.writeString(p, "digest=sha256:zz");
      }
    }
    assertThat(cache.getOrWrite(entries(new CountingSource("x")), LayerOptions.defaults())).isEqualTo(first);
  }

  @Test
  void concurrentWritersSharingTheCacheAgree() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Layer>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        LayerCache cache = new LayerCache(tmp); // separate instances, as separate processes would have
        results.add(pool.submit(() -> cache.getOrWrite(entries(new CountingSource("shared".repeat(100_000))),
            LayerOptions.defaults())));
      }
      Layer first = results.get(0).get();
      for (Future<Layer> f : results) {
        assertThat(f.get()).isEqualTo(first);
      }
      assertThat(Files.size(first.blob())).isEqualTo(first.compressedSize());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoProcessesWritingTheSameLayerIntoOneCacheAgreeAndLeaveNoPartialFiles() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      procs.add(new ProcessBuilder(javaBin, "-cp", cp, CacheWriterMain.class.getName(), tmp.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    List<String> outputs = new ArrayList<>();
    for (Process p : procs) {
      outputs.add(new String(p.getInputStream().readAllBytes()));
      assertThat(p.waitFor()).isZero();
    }
    assertThat(outputs.get(0)).isNotBlank().isEqualTo(outputs.get(1));
    String digest = outputs.get(0).split(" ")[1];
    Path blob = tmp.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
    assertThat("sha256:" + java.util.HexFormat.of().formatHex(
        dev.graft.oci.Digest.newSha256().digest(Files.readAllBytes(blob)))).isEqualTo(digest);
    try (var s = Files.list(tmp.resolve("tmp"))) {
      assertThat(s).isEmpty();
    }
    // And a third process is served from the cache.
    Layer again = new LayerCache(tmp).getOrWrite(CacheWriterMain.entries(), LayerOptions.defaults());
    assertThat(again.digest().toString()).isEqualTo(digest);
  }

  @Test
  void defaultDirIsUnderUserCache() throws IOException {
    assertThat(LayerCache.defaultDir().getFileName().toString()).isEqualTo("graft");
  }
}
