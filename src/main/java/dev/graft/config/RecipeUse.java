package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.oci.MediaTypes.Compression;

/**
 * {@code - recipe: node-runtime} with optional {@code with:} parameters, a {@code name} for a
 * one-layer recipe and a {@code compression} for all its layers, {@code conflicts}
 * for those with {@code closure: auto} (null: the default). {@code where} is the key path
 * ("layers[0]") for messages.
 */
record RecipeUse(String ref, YamlNode refNode, MapNode with, String name, Compression compression,
    ClosureConflicts conflicts, SourcePos origin, String where) implements LayerItem {}
