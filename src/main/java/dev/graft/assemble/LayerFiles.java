package dev.graft.assemble;

import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import java.io.IOException;
import java.util.Optional;

/**
 * Where one layer's files come from, for one platform: the {@code from:} of a layer. The select
 * phase ({@link SelectLayers}) asks each layer's source, in layer order, for its entries, and
 * does the same with every source after that: it asks the layer cache, hands the layer to the
 * writers, and lets verification read the entries. Sources: {@link FromImage} (builder or base),
 * {@link FromDirectory} (a local directory), {@link FromNpm} (node_modules laid out from a
 * lockfile); {@link PrunePrebuilds} wraps any of the first two for {@code prune: platform}.
 *
 * <p>A new kind of source plugs in in three places: a record in {@link LayerSource} with its
 * graft.yaml reader (the compiler then points at {@link #of}); a class here implementing this
 * interface, which names its steps through {@link Steps} ("failed to STEP: …"), says what the
 * image's history records ({@link #history}, never a host path), and returns a
 * {@link LayerSelection} whose entries are placed onto the base ({@code fs.Placement}); and its
 * case in {@link #of}. Everything else (caching of layers, writing, progress, verification,
 * config and manifest) it gets for free. A source whose selection is costly and depends only on
 * digests may also remember it ({@link #remembered}, as {@link FromImage} does with
 * {@link SelectionCache}); one that can start slow work before the base is read overrides
 * {@link #prefetch}.
 */
interface LayerFiles {
  /** What the image's history says this layer came from ("builder", "local directory dist"). */
  String history();

  /**
   * Whether the selection depends on what earlier layers add. Sources that do not (local
   * directories) are selected first, so their hashing and compression run while the builder is
   * still read.
   */
  default boolean readsEarlierLayers() {
    return true;
  }

  /**
   * Called on the first layer's source before the base's files are read: start, in the
   * background, what {@link #select} will need (the builder's files), so both reads overlap.
   */
  default void prefetch() {}

  /**
   * The selection an earlier build made with the same inputs, its contents read only if
   * something needs the bytes; used when the layer cache holds its layer. Called before
   * {@link #select}, with the same {@code earlier}.
   */
  default Optional<LayerSelection> remembered(EarlierLayers earlier) throws IOException {
    return Optional.empty();
  }

  /** The layer's entries, selected now (an empty list: the layer is left out). */
  LayerSelection select(EarlierLayers earlier) throws IOException;

  /** The source of layer {@code index} of the platform's plan. */
  static LayerFiles of(int index, LayerSpec spec, LayerInputs in) {
    return spec.source().match(new LayerSource.Cases<LayerFiles>() {
      @Override
      public LayerFiles builder() {
        return PrunePrebuilds.asked(spec, FromImage.builder(spec, in), in);
      }

      @Override
      public LayerFiles base() {
        return PrunePrebuilds.asked(spec, FromImage.base(spec, in), in);
      }

      @Override
      public LayerFiles directory(LayerSource.Directory source) {
        return PrunePrebuilds.asked(spec, new FromDirectory(index, spec, source, in), in);
      }

      @Override
      public LayerFiles npm(LayerSource.Npm source) {
        return new FromNpm(spec, source, in); // prune: platform applies as it lays packages out
      }
    });
  }
}
