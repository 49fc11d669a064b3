package dev.graft.assemble;

import dev.graft.layer.LayerEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the layers before one layer add, in layer order: a closure skips libraries they already
 * graft, and {@code from: npm} and {@code prune: platform} find the image's node among them.
 */
record EarlierLayers(List<List<LayerEntry>> entries) {
  static final EarlierLayers NONE = new EarlierLayers(List.of());

  EarlierLayers {
    entries = List.copyOf(entries);
  }

  /** Every path the earlier layers add. */
  Set<String> paths() {
    Set<String> paths = new HashSet<>();
    entries.forEach(layer -> layer.forEach(e -> paths.add(e.path())));
    return Set.copyOf(paths);
  }
}
