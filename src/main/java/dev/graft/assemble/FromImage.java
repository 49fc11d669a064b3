package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.fs.FileTree;
import dev.graft.layer.ContentSource;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files from an image: the builder ({@code from: builder}) or the base ({@code from: base}),
 * selected by {@link SelectFiles} (paths, excludes, {@code to}, the ELF closure). A selection is
 * remembered by everything it depends on ({@link SelectionCache}), so a rebuild whose layer is
 * cached reads neither the image's files nor its closure again.
 */
final class FromImage implements LayerFiles {
  private final LayerSpec spec;
  private final LayerInputs in;
  private final String sourceName;
  private final ResolvedImage image;
  private final Lazy<FileTree> tree;
  private Lazy<SelectedFiles> selection; // made once, by select or by reading a remembered file's content

  private FromImage(LayerSpec spec, LayerInputs in, String sourceName, ResolvedImage image, Lazy<FileTree> tree) {
    this.spec = spec;
    this.in = in;
    this.sourceName = sourceName;
    this.image = image;
    this.tree = tree;
  }

  static FromImage builder(LayerSpec spec, LayerInputs in) {
    ResolvedSources s = in.sources();
    return new FromImage(spec, in, "builder image " + in.plan().builder().orElseThrow(), s.builder().orElseThrow(),
        s.builderTree());
  }

  static FromImage base(LayerSpec spec, LayerInputs in) {
    ResolvedSources s = in.sources();
    return new FromImage(spec, in, "base image " + in.plan().base(), s.base(), s.baseTree());
  }

  @Override
  public String history() {
    return spec.source().toString();
  }

  @Override
  public void prefetch() {
    if (in.selections().has(key(EarlierLayers.NONE))) {
      return; // remembered: the first layer may not need the image's files at all
    }
    Thread prefetch = new Thread(() -> {
      try {
        tree.get();
      } catch (RuntimeException e) {
        // the same failure is met (and reported) where the tree is used
      }
    }, "graft-read-source");
    prefetch.setDaemon(true);
    prefetch.start();
  }

  @Override
  public Optional<LayerSelection> remembered(EarlierLayers earlier) {
    Lazy<Map<String, ContentSource>> byIdentity = new Lazy<>(() -> {
      Map<String, ContentSource> m = new HashMap<>();
      selection(earlier).get().entries().stream().filter(e -> e.content() != null)
          .forEach(e -> m.putIfAbsent(e.content().identity(), e.content()));
      return m;
    });
    return in.selections().lookup(key(earlier), id -> new DeferredContent(id, byIdentity))
        .map(hit -> new LayerSelection(hit.entries(), hit.notes(), LayerWrite.FROM_CACHE_OR_NEW, true));
  }

  @Override
  public LayerSelection select(EarlierLayers earlier) throws IOException {
    SelectedFiles selected = selection(earlier).get();
    if (!selected.entries().isEmpty()) {
      in.steps().unannounced("select files of " + Steps.layer(spec), null, () -> {
        in.selections().store(key(earlier), selected.entries(), selected.notes());
        return null;
      });
    }
    return new LayerSelection(selected.entries(), selected.notes(), LayerWrite.FROM_CACHE_OR_NEW, true);
  }

  private synchronized Lazy<SelectedFiles> selection(EarlierLayers earlier) {
    if (selection == null) {
      selection = new Lazy<>(() -> {
        FileTree source = tree.get();
        ResolvedSources s = in.sources();
        SelectedFiles selected = in.steps().run("select files of " + Steps.layer(spec), null,
            () -> new SelectFiles(new SelectFiles.Input(spec, source, sourceName, s.baseTree().get(),
                "base image " + in.plan().base(), in.platform(),
                // the builder's environment, also for a base layer's closure (as graft has always done)
                s.builder().map(b -> b.config().env()).orElse(List.of()), in.spools().dir(), earlier.paths(), in.elfs())).run());
        if (selected.spool() != null) {
          in.spools().add(selected.spool());
        }
        return selected;
      });
    }
    return selection;
  }

  /** The selection's key: the layer, the image's and the base's digests, the platform, what earlier layers add. */
  private String key(EarlierLayers earlier) {
    return SelectionCache.key(spec, image.manifestBlob().digest(), image.configBlob().digest(),
        in.sources().base().manifestBlob().digest(), in.platform(), earlier.paths());
  }
}
