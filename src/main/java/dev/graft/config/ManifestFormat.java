package dev.graft.config;

import java.util.Locale;

/** The media types of the written manifests: OCI, or Docker schema 2 for old registries and tools. */
public enum ManifestFormat {
  OCI,
  DOCKER;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
