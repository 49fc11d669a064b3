package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.config.Prune;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.npm.Libc;
import dev.graft.npm.NpmException;
import dev.graft.npm.NpmTarget;
import dev.graft.npm.PlatformPrune;
import dev.graft.verify.Finding;
import dev.graft.verify.Severity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code prune: platform} on a builder, base or local-directory layer: a filter over another
 * source's selection. node_modules files under {@code prebuilds/} for another os or cpu are left
 * out, and for the other libc too when the node the image runs is found before this layer (its
 * loader says which libc); folders emptied by that go too. A remembered selection is pruned the
 * same way before the layer cache is asked for it.
 */
final class PrunePrebuilds implements LayerFiles {
  private final LayerSpec spec;
  private final LayerFiles source;
  private final LayerInputs in;
  private PlatformPrune rule; // decided once, on the layers before this one

  private PrunePrebuilds(LayerSpec spec, LayerFiles source, LayerInputs in) {
    this.spec = spec;
    this.source = source;
    this.in = in;
  }

  /** {@code source}, pruned when the layer asks for {@code prune: platform}. */
  static LayerFiles asked(LayerSpec spec, LayerFiles source, LayerInputs in) {
    return spec.prune() == Prune.PLATFORM ? new PrunePrebuilds(spec, source, in) : source;
  }

  @Override
  public String history() {
    return source.history();
  }

  /** Always: the node the image runs may come from an earlier layer. */
  @Override
  public boolean readsEarlierLayers() {
    return true;
  }

  @Override
  public void prefetch() {
    source.prefetch();
  }

  @Override
  public Optional<LayerSelection> remembered(EarlierLayers earlier) throws IOException {
    Optional<LayerSelection> remembered = source.remembered(earlier);
    return remembered.isEmpty() ? remembered : Optional.of(pruned(remembered.get(), earlier));
  }

  @Override
  public LayerSelection select(EarlierLayers earlier) throws IOException {
    return pruned(source.select(earlier), earlier);
  }

  private LayerSelection pruned(LayerSelection selected, EarlierLayers earlier) throws IOException {
    PlatformPrune rule = rule(earlier);
    List<LayerEntry> kept = new ArrayList<>(selected.entries().size());
    int files = 0;
    long bytes = 0;
    Set<String> emptied = new HashSet<>();
    for (LayerEntry e : selected.entries()) {
      if (e.metadata().type() == EntryType.FILE && rule.reasonForTreePath(e.path()).isPresent()) {
        files++;
        bytes += e.metadata().size();
        emptied.add(e.path().substring(0, e.path().lastIndexOf('/')));
      } else {
        kept.add(e);
      }
    }
    // a prebuilds/<platform> folder whose files all went goes too
    Set<String> stillUsed = new HashSet<>();
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
    if (files == 0) {
      return selected.narrowed(kept, selected.notes());
    }
    List<Finding> notes = new ArrayList<>(selected.notes());
    notes.add(new Finding(Severity.INFO, "NPM_PRUNED", "/", "layer '" + spec.name() + "': prune: platform removed "
        + files + " prebuilds for other platforms (" + bytes + " bytes)", ""));
    return selected.narrowed(kept, notes);
  }

  private synchronized PlatformPrune rule(EarlierLayers earlier) throws IOException {
    if (rule == null) {
      Optional<Libc> libc;
      try {
        libc = Optional.of(NodeLibc.of(spec, in.sources().baseTree().get(), earlier.entries(), in.imageEnv()));
      } catch (NpmException e) {
        libc = Optional.empty(); // no node before this layer: keep both libcs' builds
      }
      rule = PlatformPrune.of(NpmTarget.of(in.platform(), libc.orElse(Libc.GLIBC)), libc.isPresent());
    }
    return rule;
  }
}
