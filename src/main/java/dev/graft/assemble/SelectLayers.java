package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.layer.Layer;
import dev.graft.layer.LayerCache;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LayerOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Phase "select": every layer's entries, from its source ({@link LayerFiles}), taking the
 * remembered selection and the cached layer where they hold. Each layer is handed on as soon as it
 * is selected, so a layer the cache lacks is written while later layers are selected. Sources that
 * do not read earlier layers (local directories) go first: their hashing and compression then run
 * while the builder is still read and its closure worked out. The rest go in layer order, each
 * seeing what the layers before it add.
 */
final class SelectLayers {
  private final List<LayerSpec> specs;
  private final List<LayerFiles> sources;
  private final LayerCache cache;
  private final Function<LayerSpec, LayerOptions> layerOptions;
  private final Steps steps;

  SelectLayers(List<LayerSpec> specs, List<LayerFiles> sources, LayerCache cache,
      Function<LayerSpec, LayerOptions> layerOptions, Steps steps) {
    if (specs.size() != sources.size()) {
      throw new IllegalArgumentException(specs.size() + " layers but " + sources.size() + " sources");
    }
    this.specs = List.copyOf(specs);
    this.sources = List.copyOf(sources);
    this.cache = cache;
    this.layerOptions = layerOptions;
    this.steps = steps;
  }

  /** The selected layers in layer order (a layer that selected nothing is left out), each given to {@code selected} at once. */
  List<SelectedLayer> run(Consumer<SelectedLayer> selected) {
    SelectedLayer[] slots = new SelectedLayer[specs.size()];
    for (boolean independent : new boolean[] {true, false}) {
      for (int index = 0; index < slots.length; index++) {
        if (sources.get(index).readsEarlierLayers() == independent) {
          continue;
        }
        SelectedLayer s = select(specs.get(index), sources.get(index), earlier(slots, index));
        if (s != null) {
          slots[index] = s;
          selected.accept(s);
        }
      }
    }
    return Arrays.stream(slots).filter(Objects::nonNull).toList();
  }

  private SelectedLayer select(LayerSpec spec, LayerFiles source, EarlierLayers earlier) {
    String where = Steps.layer(spec);
    LayerOptions options = layerOptions.apply(spec);
    Optional<LayerSelection> remembered = steps.unannounced("select files of " + where, null,
        () -> source.remembered(earlier));
    if (remembered.isPresent()) {
      Optional<Layer> layer = cachedLayer(where, remembered.get(), options);
      if (layer.isPresent()) {
        return remembered.get().entries().isEmpty() ? null
            : new SelectedLayer(spec, remembered.get(), options, source.history(), layer);
      }
    }
    LayerSelection selection = steps.unannounced("select files of " + where, null, () -> source.select(earlier));
    if (selection.entries().isEmpty()) {
      return null; // only optional paths, none present: no empty layer
    }
    Optional<Layer> layer = selection.identitiesKnown() ? cachedLayer(where, selection, options) : Optional.empty();
    return new SelectedLayer(spec, selection, options, source.history(), layer);
  }

  /** The layer cache's layer for these entries, if any (reads no content). */
  private Optional<Layer> cachedLayer(String where, LayerSelection selection, LayerOptions options) {
    return steps.unannounced("write " + where, null, () -> cache.lookup(selection.entries(), options));
  }

  /** What the layers before {@code index} that are selected already add. */
  private static EarlierLayers earlier(SelectedLayer[] slots, int index) {
    List<List<LayerEntry>> entries = new ArrayList<>();
    for (int j = 0; j < index; j++) {
      if (slots[j] != null) {
        entries.add(slots[j].entries());
      }
    }
    return new EarlierLayers(entries);
  }
}
