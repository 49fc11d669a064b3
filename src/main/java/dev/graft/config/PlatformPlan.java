package dev.graft.config;

import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import dev.graft.oci.Require;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to build the image of one platform: refs with {@code {arch}} substituted and
 * parsed, layers in order (recipes expanded), the config changes, and the per-platform targets
 * (set when {@code to} names one image per arch, as HA add-ons do; empty when the platforms are
 * pushed together as one index, see {@link BuildPlan#indexTargets()}).
 */
public record PlatformPlan(
    Platform platform,
    ImageRef base,
    Optional<ImageRef> builder,
    List<LayerSpec> layers,
    ImageConfigSpec config,
    List<ImageTarget> targets) {

  public PlatformPlan {
    Require.nonNull("platform, base, builder, config", platform, base, builder, config);
    layers = List.copyOf(layers);
    targets = List.copyOf(targets);
    if (builder.isEmpty() && layers.stream().anyMatch(l -> l.source() instanceof LayerSource.Builder)) {
      throw new IllegalArgumentException("a layer takes files from the builder, but there is no builder");
    }
  }
}
