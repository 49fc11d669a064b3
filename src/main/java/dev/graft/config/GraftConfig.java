package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.oci.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Entry point of the config package: graft.yaml plus overrides → {@link BuildPlan}, checked in
 * full before anything touches the network. Every problem found is thrown together in one
 * {@link ConfigException}.
 */
public final class GraftConfig {
  private GraftConfig() {}

  /**
   * Loads {@code graftYaml} (its directory resolves local paths), applies {@code overrides}
   * (already merged env-then-flags, see {@link Overrides#over}) and reads
   * {@code SOURCE_DATE_EPOCH} from {@code env}.
   */
  public static BuildPlan load(Path graftYaml, Overrides overrides, Map<String, String> env) {
    GraftFile file = GraftFile.read(graftYaml);
    return plan(file.root(), file.dir(), overrides, env, List.of(), AppContribution.NONE);
  }

  /** Parses graft.yaml text (for tests and tools); {@code name} is how errors call the file. */
  public static BuildPlan parse(String name, String yaml, Path baseDir, Overrides overrides, Map<String, String> env) {
    GraftFile file = GraftFile.parse(name, yaml, baseDir);
    return plan(file.root(), file.dir(), overrides, env, List.of(), AppContribution.NONE);
  }

  /** The shared path for graft.yaml and HA add-ons (which pre-fill the tree from config.yaml/build.yaml). */
  static BuildPlan plan(YamlNode root, Path baseDir, Overrides overrides, Map<String, String> env, List<String> notes,
      AppContribution app) {
    Problems problems = new Problems();
    TypedYaml r = new TypedYaml(problems);
    YamlNode tree = root instanceof MapNode m ? new OverrideApplier(r).apply(m, overrides) : root;
    GraftSpec spec = new GraftSpecReader(r, baseDir).read(tree);
    if (spec == null) {
      problems.throwIfAny();
    }
    return new PlanResolver(r).resolve(spec, env, notes, app);
  }
}
