package dev.graft.assemble;

import dev.graft.fs.FileTree;
import dev.graft.oci.Require;
import java.util.Optional;

/**
 * What the resolve phase found for one platform: the base's and the builder's manifest and config,
 * and their file trees, each read on first use (a rebuild whose selections are cached never reads
 * the builder's files). {@code builderTree} gives null when there is no builder.
 */
record ResolvedSources(ResolvedImage base, Optional<ResolvedImage> builder, Lazy<FileTree> baseTree,
    Lazy<FileTree> builderTree) {
  ResolvedSources {
    Require.nonNull("base, builder, baseTree, builderTree", base, builder, baseTree, builderTree);
  }
}
