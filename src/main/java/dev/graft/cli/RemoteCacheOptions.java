package dev.graft.cli;

import dev.graft.buildcache.CacheListener;
import dev.graft.buildcache.CacheRefs;
import dev.graft.buildcache.RegistryBuildCache;
import dev.graft.config.BuildPlan;
import dev.graft.config.ImageTarget;
import dev.graft.oci.ImageRef;
import dev.graft.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** {@code graft build}'s registry build cache flags (a picocli mixin). */
public final class RemoteCacheOptions {
  @Option(names = "--cache-to", paramLabel = "REF",
      description = "Leave the build cache here after the build (default: the first registry target's repository,"
          + " tag graft-cache).")
  String cacheTo;

  @Option(names = "--cache-from", paramLabel = "REF",
      description = "Read a build cache from here (repeatable, first wins; default: where --cache-to writes).")
  List<String> cacheFrom = new ArrayList<>();

  @Option(names = "--no-remote-cache", description = "Neither read nor write a build cache in a registry.")
  boolean off;

  /** The build cache this build reads and writes, or null when there is none (off, or no registry to keep it in). */
  RegistryBuildCache start(BuildPlan plan, RegistryOptions options, Path cacheDir, CacheListener listener) {
    if (off) {
      if (cacheTo != null || !cacheFrom.isEmpty()) {
        throw new UserError("--no-remote-cache cannot be combined with --cache-to or --cache-from");
      }
      return null;
    }
    ImageRef.Registry to;
    List<ImageRef.Registry> from = new ArrayList<>();
    try {
      to = cacheTo != null ? CacheRefs.parse(cacheTo, true, "--cache-to") : defaultTarget(plan);
      for (String f : cacheFrom) {
        from.add(CacheRefs.parse(f, false, "--cache-from"));
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (from.isEmpty() && to != null) {
      from.add(to);
    }
    if (from.isEmpty()) {
      return null;
    }
    return RegistryBuildCache.start(from, to, options, cacheDir, listener);
  }

  /** The first registry target's repository under the default cache tag, or null without one. */
  private static ImageRef.Registry defaultTarget(BuildPlan plan) {
    return Stream.concat(plan.indexTargets().stream(), plan.platforms().stream().flatMap(p -> p.targets().stream()))
        .map(ImageTarget::ref)
        .filter(r -> r instanceof ImageRef.Registry)
        .map(r -> CacheRefs.defaultFor((ImageRef.Registry) r))
        .findFirst().orElse(null);
  }
}
