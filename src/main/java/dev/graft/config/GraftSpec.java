package dev.graft.config;

import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import java.nio.file.Path;
import java.util.List;

/**
 * graft.yaml checked for keys and types but not yet resolved per platform: refs may hold
 * {@code {arch}}, recipes are not expanded. Null means "not given".
 */
record GraftSpec(
    Path baseDir,
    RefTemplate base,
    RefTemplate builder,
    List<Platform> platforms,
    List<LayerItem> layers,
    ImageConfigSpec config,
    List<RefTemplate> to,
    List<String> tags,
    RefTemplate index,
    ManifestFormat format,
    Compression compression,
    int compressionLevel,
    YamlNode root) {}
