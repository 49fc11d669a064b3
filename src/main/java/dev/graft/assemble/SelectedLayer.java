package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.layer.Layer;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LayerOptions;
import dev.graft.oci.Require;
import dev.graft.verify.Finding;
import java.util.List;
import java.util.Optional;

/**
 * One layer after the select phase: its entries and notes, how it is written and with which
 * options, what its history entry says, and its layer when the layer cache had it already.
 */
record SelectedLayer(LayerSpec spec, LayerSelection selection, LayerOptions options, String history,
    Optional<Layer> cached) {
  SelectedLayer {
    Require.nonNull("spec, selection, options, history, cached", spec, selection, options, history, cached);
  }

  List<LayerEntry> entries() {
    return selection.entries();
  }

  List<Finding> notes() {
    return selection.notes();
  }
}
