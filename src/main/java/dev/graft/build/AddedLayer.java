package dev.graft.build;

import dev.graft.layer.Layer;
import java.util.Objects;

/** A layer graft made: its name in graft.yaml, where its files came from (for history), and the written blob. */
public record AddedLayer(String name, String source, Layer layer) {
  public AddedLayer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(layer, "layer");
  }
}
