package dev.graft.npm;

import dev.graft.layer.LayerEntry;
import java.util.List;

/**
 * A node_modules tree as layer entries, with what it holds: the packages (for an SBOM), and what
 * {@code prune: platform} removed (files and bytes).
 */
public record LaidOut(List<LayerEntry> entries, List<InstalledPackage> packages, int prunedFiles, long prunedBytes) {
  public LaidOut {
    entries = List.copyOf(entries);
    packages = List.copyOf(packages);
  }
}
