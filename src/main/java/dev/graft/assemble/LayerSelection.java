package dev.graft.assemble;

import dev.graft.layer.LayerEntry;
import dev.graft.verify.Finding;
import java.util.List;
import java.util.Objects;

/**
 * What a layer source chose for its layer: the entries, what it has to say in the build's report
 * (closure decisions, npm's selection), how its blob is made, and whether every content's identity
 * is known without reading the content (image files and npm packages are named by digest; a local
 * file must be hashed), so the layer cache can be asked at once rather than by the writer.
 */
record LayerSelection(List<LayerEntry> entries, List<Finding> notes, LayerWrite write, boolean identitiesKnown) {
  LayerSelection {
    entries = List.copyOf(entries);
    notes = List.copyOf(notes);
    Objects.requireNonNull(write, "write");
  }

  /** The same selection narrowed to {@code kept}, saying {@code said} (a filter's result). */
  LayerSelection narrowed(List<LayerEntry> kept, List<Finding> said) {
    return new LayerSelection(kept, said, write, identitiesKnown);
  }
}
