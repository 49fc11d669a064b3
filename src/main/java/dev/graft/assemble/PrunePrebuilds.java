package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.config.Prune;
import dev.graft.fs.FileTree;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.npm.Libc;
import dev.graft.npm.NpmException;
import dev.graft.npm.NpmTarget;
import dev.graft.npm.PlatformPrune;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import dev.graft.verify.Severity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code prune: platform} on a builder, base or local-directory layer: node_modules files under
 * {@code prebuilds/} for another os or cpu are left out, and for the other libc too when the
 * node the image runs is found before this layer (its loader says which libc).
 */
final class PrunePrebuilds {
  private final Optional<PlatformPrune> rule;
  private final String layer;
  private int files;
  private long bytes;

  private PrunePrebuilds(Optional<PlatformPrune> rule, String layer) {
    this.rule = rule;
    this.layer = layer;
  }

  static PrunePrebuilds of(LayerSpec spec, Platform p, FileTree base, List<List<LayerEntry>> earlier, List<String> env)
      throws IOException {
    if (spec.prune() != Prune.PLATFORM) {
      return new PrunePrebuilds(Optional.empty(), spec.name());
    }
    Optional<Libc> libc;
    try {
      libc = Optional.of(NpmLayer.nodeLibc(spec, base, earlier, env));
    } catch (NpmException e) {
      libc = Optional.empty(); // no node before this layer: keep both libcs' builds
    }
    NpmTarget t = NpmTarget.of(p, libc.orElse(Libc.GLIBC));
    return new PrunePrebuilds(Optional.of(PlatformPrune.of(t, libc.isPresent())), spec.name());
  }

  boolean active() {
    return rule.isPresent();
  }

  List<LayerEntry> apply(List<LayerEntry> entries) {
    if (rule.isEmpty()) {
      return entries;
    }
    List<LayerEntry> kept = new ArrayList<>(entries.size());
    files = 0;
    bytes = 0;
    java.util.Set<String> emptied = new java.util.HashSet<>();
    for (LayerEntry e : entries) {
      if (e.metadata().type() == EntryType.FILE && rule.get().reasonForTreePath(e.path()).isPresent()) {
        files++;
        bytes += e.metadata().size();
        emptied.add(e.path().substring(0, e.path().lastIndexOf('/')));
      } else {
        kept.add(e);
      }
    }
    // a prebuilds/<platform> folder whose files all went goes too
    java.util.Set<String> stillUsed = new java.util.HashSet<>();
    for (LayerEntry e : kept) {
      for (String d = e.path(); d.lastIndexOf('/') > 0; ) {
        d = d.substring(0, d.lastIndexOf('/'));
        if (!stillUsed.add(d)) {
          break;
        }
      }
    }
    kept.removeIf(e -> e.metadata().type() == EntryType.DIR && !stillUsed.contains(e.path())
        && emptied.stream().anyMatch(d -> d.equals(e.path()) || d.startsWith(e.path() + "/")));
    return kept;
  }

  List<Finding> notes(List<Finding> notes) {
    if (rule.isEmpty() || files == 0) {
      return notes;
    }
    List<Finding> out = new ArrayList<>(notes);
    out.add(new Finding(Severity.INFO, "NPM_PRUNED", "/", "layer '" + layer + "': prune: platform removed " + files
        + " prebuilds for other platforms (" + bytes + " bytes)", ""));
    return out;
  }
}
