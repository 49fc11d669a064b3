package dev.graft.config;

import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import java.util.List;
import java.util.Objects;

/**
 * What a Home Assistant app (its config.yaml and Dockerfile) contributes to one platform's plan,
 * under the app's graft.yaml: graft.yaml and flags win wherever they say something. Plain
 * graft.yaml builds have none ({@link #NONE}).
 */
interface AppContribution {
  AppContribution NONE = new AppContribution() {
    @Override
    public ConfigProblem refusal(Platform p) {
      return null;
    }

    @Override
    public Share share(Platform p, TypedYaml r, ImageRef base, ImageRef builder) {
      return new Share(null, null, null, List.of(), ImageConfigSpec.EMPTY);
    }
  };

  /** Why this platform cannot be built (the app does not support it), or null. */
  ConfigProblem refusal(Platform p);

  /**
   * The app's share of platform {@code p}, its problems recorded in {@code r}; {@code base} and
   * {@code builder} are what graft.yaml or flags name for it (null: nothing), which win.
   */
  Share share(Platform p, TypedYaml r, ImageRef base, ImageRef builder);

  /** Notes to add once every platform has been shared out (e.g. build arguments nothing used). */
  default List<String> closingNotes() {
    return List.of();
  }

  /**
   * {@code base} and {@code builder} (null: none), {@code noBase} the problem to report when no one
   * names a base, {@code layers} the app's own (a graft.yaml layer of the same name replaces one),
   * {@code config} what graft.yaml's config is laid over.
   */
  record Share(ImageRef base, ConfigProblem noBase, ImageRef builder, List<LayerSpec> layers, ImageConfigSpec config) {
    public Share {
      layers = List.copyOf(layers);
      Objects.requireNonNull(config, "config");
    }
  }
}
