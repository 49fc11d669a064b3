package dev.graft.assemble;

import dev.graft.layer.Layer;
import java.util.Objects;

/**
 * A layer graft made: its name in graft.yaml, where its files came from (for history), the written
 * blob, and whether it came from the layer cache (true) or was written by this build.
 */
public record AddedLayer(String name, String source, Layer layer, boolean cached) {
  public AddedLayer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(layer, "layer");
  }
}
