package dev.graft.assemble;

import dev.graft.fs.ContentSpool;
import dev.graft.layer.LayerEntry;
import dev.graft.verify.Finding;
import java.util.List;

/**
 * What {@link SelectFiles} chose for one layer: entries to write, the spool their image contents
 * are read from (null for local), and what closure: auto decided where the base already had a
 * library ({@link BaseCollisions}).
 */
record SelectedFiles(List<LayerEntry> entries, ContentSpool spool, List<Finding> notes) {
  SelectedFiles {
    entries = List.copyOf(entries);
    notes = List.copyOf(notes);
  }
}
