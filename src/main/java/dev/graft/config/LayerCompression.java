package dev.graft.config;

import java.util.Locale;

/** How a layer blob is compressed; the config's own enum, so config does not depend on the layer writer. */
public enum LayerCompression {
  GZIP,
  ZSTD,
  NONE;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
