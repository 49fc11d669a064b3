package dev.graft.assemble;

import dev.graft.layer.Layer;
import dev.graft.layer.LayerCache;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LayerOptions;
import dev.graft.layer.LayerWriter;
import java.io.IOException;
import java.util.List;

/**
 * How a selected layer's blob is made: by default taken from the layer cache or written into it.
 * A source may do better (a local directory reuses the layer a rebuild wrote speculatively) or
 * more (it remembers its files' hashes once the layer is written). {@code entries} are what is to
 * be written, which a filter such as {@code prune: platform} may have narrowed.
 */
@FunctionalInterface
interface LayerWrite {
  LayerWrite FROM_CACHE_OR_NEW = LayerCache::getOrWrite;

  Layer write(LayerCache cache, List<LayerEntry> entries, LayerOptions options, LayerWriter.Progress progress)
      throws IOException;
}
