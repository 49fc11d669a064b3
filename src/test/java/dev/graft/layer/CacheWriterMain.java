package dev.graft.layer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one fixed, largish layer through a {@link LayerCache} and prints its digests. Several of
 * these run at once against one cache directory in {@link LayerCacheTest}.
 *   usage: CacheWriterMain CACHE_DIR
 */
public final class CacheWriterMain {
  public static void main(String[] args) throws Exception {
    Layer l = new LayerCache(Path.of(args[0])).getOrWrite(entries(), LayerOptions.defaults());
    System.out.println(l.diffId() + " " + l.digest() + " " + l.compressedSize());
  }

  /** 32 files of 256 KiB of varied bytes: big enough that concurrent writers overlap. */
  static List<LayerEntry> entries() {
    List<LayerEntry> out = new ArrayList<>();
    out.add(LayerEntry.directory("/data", 0755, 0, 0));
    java.util.Random r = new java.util.Random(42);
    for (int i = 0; i < 32; i++) {
      byte[] b = new byte[256 * 1024];
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) ("abcdefgh".charAt(r.nextInt(8)) + (j % 1024 == 0 ? r.nextInt(3) : 0));
      }
      out.add(LayerEntry.file("/data/f" + i, 0644, 0, 0, b.length, ContentSource.ofBytes(b)));
    }
    return out;
  }
}
