package dev.graft.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes entries as one reproducible layer blob, computing the diffID (tar) and digest
 * (compressed) while streaming: tar → sha256 → compressor → sha256 → file.
 */
public final class LayerWriter {
  private LayerWriter() {}

  /**
   * The entries in the order they are written: sorted by path (so parents precede children),
   * each hardlink group led by its first path as the file and the rest linking to it, so a
   * link's target always comes first and is in the same layer. A hardlink whose target is not
   * among the entries becomes a file of its own (it must then carry content).
   */
  public static List<LayerEntry> normalise(Collection<LayerEntry> entries) {
    TreeMap<String, LayerEntry> byPath = new TreeMap<>();
    for (LayerEntry e : entries) {
      if (byPath.put(e.path(), e) != null) {
        throw new IllegalArgumentException("two layer entries for " + e.path());
      }
    }
    Map<String, List<String>> groups = new TreeMap<>(); // root file → all paths sharing its inode
    for (LayerEntry e : byPath.values()) {
      if (e.metadata().type() == EntryType.FILE) {
        groups.computeIfAbsent(e.path(), k -> new ArrayList<>()).add(e.path());
      }
    }
    for (LayerEntry e : List.copyOf(byPath.values())) {
      if (e.metadata().type() != EntryType.HARDLINK) {
        continue;
      }
      String root = rootFile(byPath, e);
      if (root == null) {
        if (e.content() == null) {
          throw new IllegalArgumentException("hardlink " + e.path() + " points to " + e.metadata().linkTarget()
              + ", which is not a file in this layer");
        }
        byPath.put(e.path(), e.asFile(e));
        groups.computeIfAbsent(e.path(), k -> new ArrayList<>()).add(e.path());
      } else {
        groups.get(root).add(e.path());
      }
    }
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      LayerEntry source = byPath.get(g.getKey());
      EntryMetadata m = source.metadata();
      if (g.getValue().size() == 1 && m.type() == EntryType.FILE && m.devMajor() == 0 && m.devMinor() == 0) {
        continue; // a file without hardlinks is already as written (the common case: no copy made)
      }
      List<String> paths = g.getValue().stream().sorted().toList();
      String first = paths.get(0);
      byPath.put(first, byPath.get(first).asFile(source));
      for (String p : paths.subList(1, paths.size())) {
        byPath.put(p, byPath.get(p).asFile(source).asHardlinkTo(first));
      }
    }
    return List.copyOf(byPath.values());
  }

  private static String rootFile(Map<String, LayerEntry> byPath, LayerEntry link) {
    LayerEntry e = link;
    for (int hops = 0; hops < byPath.size() + 1; hops++) {
      LayerEntry t = byPath.get(e.metadata().linkTarget());
      if (t == null) {
        return null;
      }
      if (t.metadata().type() == EntryType.FILE) {
        return t.path();
      }
      if (t.metadata().type() != EntryType.HARDLINK) {
        return null;
      }
      e = t;
    }
    throw new IllegalArgumentException("hardlink loop at " + link.path());
  }

  /** Writes the layer to {@code out} (created or replaced). Callers wanting atomicity pass a temp file. */
  public static Layer write(Collection<LayerEntry> entries, LayerOptions options, Path out) throws IOException {
    return write(entries, options, out, null).layer();
  }

  /** A written layer and, for gzip, the blocks of its blob (for {@link GzipChunkIndex}). */
  record Written(Layer layer, List<ParallelGzipOutputStream.Chunk> chunks) {}

  /**
   * As above; a gzip layer's blocks are cut at entry starts (see {@link ParallelGzipOutputStream})
   * and taken from {@code known} where an earlier blob has them (null: all are deflated).
   */
  static Written write(Collection<LayerEntry> entries, LayerOptions options, Path out,
      ParallelGzipOutputStream.Chunks known) throws IOException {
    return writeNormalised(normalise(entries), options, out, known);
  }

  /**
   * Hears how far a layer's writing is: bytes of file content read into it, of {@code total}
   * (its files' sizes). Called on the writing thread, every MiB.
   */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (bytes, total) -> {};

    void wrote(long bytes, long total);
  }

  /** Counts file content read into a layer and tells {@link Progress} every MiB. */
  private static final class ContentCounter {
    private final Progress progress;
    private final long total;
    private long bytes;
    private long reported;

    ContentCounter(Progress progress, long total) {
      this.progress = progress;
      this.total = total;
    }

    InputStream wrap(InputStream in) {
      if (progress == Progress.NONE) {
        return in;
      }
      return new java.io.FilterInputStream(in) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            bytes += n;
            if (bytes - reported >= (1 << 20) || bytes == total) {
              reported = bytes;
              progress.wrote(bytes, total);
            }
          }
          return n;
        }
      };
    }
  }

  /** As above, for entries {@link #normalise} already returned. */
  static Written writeNormalised(List<LayerEntry> ordered, LayerOptions options, Path out,
      ParallelGzipOutputStream.Chunks known) throws IOException {
    return writeNormalised(ordered, options, out, known, Progress.NONE);
  }

  /** As above, telling {@code progress} how far it is. */
  static Written writeNormalised(List<LayerEntry> ordered, LayerOptions options, Path out,
      ParallelGzipOutputStream.Chunks known, Progress progress) throws IOException {
    long total = 0;
    for (LayerEntry e : ordered) {
      total += e.metadata().type() == EntryType.FILE ? e.metadata().size() : 0;
    }
    ContentCounter counted = new ContentCounter(progress, total);
    HashingOutputStream compressed;
    HashingOutputStream tar;
    ParallelGzipOutputStream gzip = null;
    try (OutputStream file = Files.newOutputStream(out)) {
      compressed = new HashingOutputStream(new java.io.BufferedOutputStream(file, 1 << 16));
      OutputStream opened = options.compression() == dev.graft.oci.MediaTypes.Compression.GZIP
          ? gzip = new ParallelGzipOutputStream(compressed, options.level(), options.threads(),
              ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE, known)
          : Compressors.open(compressed, options);
      try (OutputStream compressor = opened) {
        tar = new HashingOutputStream(new java.io.BufferedOutputStream(compressor, 1 << 16));
        TarWriter writer = new TarWriter(tar, options.mtimeSeconds());
        for (LayerEntry e : ordered) {
          if (gzip != null) {
            tar.flush(); // the compressor must see every byte before this entry
            gzip.cutCandidate(e.path());
          }
          if (e.metadata().type() == EntryType.FILE && e.metadata().size() > 0) {
            try (InputStream in = counted.wrap(e.content().open())) {
              writer.write(e.path(), e.metadata(), in);
            }
          } else {
            writer.write(e.path(), e.metadata(), InputStream.nullInputStream());
          }
        }
        writer.finish();
        tar.flush();
      }
    }
    Layer layer = new Layer(tar.digest(), compressed.digest(), compressed.count(),
        Compressors.mediaType(options.compression()), out);
    return new Written(layer, gzip == null ? List.of() : gzip.chunks());
  }
}
