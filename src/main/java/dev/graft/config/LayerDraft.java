package dev.graft.config;

import dev.graft.oci.MediaTypes.Compression;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A layer as written in graft.yaml or a recipe, before recipe parameters are applied: paths and
 * the layer itself may carry a {@code when} condition (recipes only) naming a boolean parameter.
 */
record LayerDraft(
    String name,
    LayerSource source,
    List<ConditionalPath> paths,
    List<String> excludes,
    String to,
    ClosureMode closure,
    ClosureConflicts conflicts,
    SpecialFiles specialFiles,
    Compression compression,
    String when,
    SourcePos origin,
    Prune prune) {

  LayerDraft {
    paths = List.copyOf(paths);
    excludes = List.copyOf(excludes);
  }

  /** A path selector that is only used when its parameter is true (always when {@code when} is null). */
  record ConditionalPath(PathSelector selector, String when) {}

  /** The concrete layer for these parameter values, or empty when its condition (or every path's) is false. */
  Optional<LayerSpec> apply(Map<String, Boolean> params, String nameOverride, Compression compressionOverride,
      String recipe, SourcePos useOrigin) {
    if (when != null && !params.getOrDefault(when, false)) {
      return Optional.empty();
    }
    List<PathSelector> selected = paths.stream()
        .filter(p -> p.when() == null || params.getOrDefault(p.when(), false))
        .map(ConditionalPath::selector)
        .toList();
    if (source.isImage() && selected.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LayerSpec(
        nameOverride != null ? nameOverride : name,
        source,
        selected,
        excludes,
        Optional.ofNullable(to),
        closure,
        conflicts == null ? ClosureConflicts.COMPATIBLE : conflicts,
        specialFiles == null ? SpecialFiles.REFUSE : specialFiles,
        Optional.ofNullable(compressionOverride != null ? compressionOverride : compression),
        Optional.ofNullable(recipe),
        useOrigin != null ? useOrigin : origin,
        prune == null ? (source instanceof LayerSource.Npm ? Prune.PLATFORM : Prune.OFF) : prune));
  }
}
