package dev.graft.assemble;

import dev.graft.fs.FileTree;
import java.util.Objects;
import java.util.Optional;

/**
 * What the resolve phase found for one platform: the base's and the builder's manifest and config,
 * and their file trees, each read on first use (a rebuild whose selections are cached never reads
 * the builder's files). {@code builderTree} gives null when there is no builder.
 */
record ResolvedSources(ResolvedImage base, Optional<ResolvedImage> builder, Lazy<FileTree> baseTree,
    Lazy<FileTree> builderTree) {
  ResolvedSources {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(baseTree, "baseTree");
    Objects.requireNonNull(builderTree, "builderTree");
  }
}
