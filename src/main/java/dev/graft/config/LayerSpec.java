package dev.graft.config;

import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Require;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One layer to add on top of the base, fully resolved (recipes expanded, local directories made
 * absolute). What the pipeline does with it:
 * <ul>
 *   <li>select {@code paths} in {@code source} (absolute paths/globs in an image; paths/globs
 *       relative to the directory for a local source, every file when empty), minus {@code excludes}
 *       (globs in the same form; for an image, a glob may also start with {@code **}{@code /} to match at
 *       any depth);
 *   <li>without {@code to}, files keep their paths; with {@code to}, an image source has exactly
 *       one literal path, which is placed at {@code to} (a directory's contents go under it, like
 *       {@code COPY --from=builder /build/node_modules /app/node_modules}); a local directory's
 *       selection is placed under {@code to} keeping its relative paths;
 *   <li>with {@code closure: auto}, add the ELF closure of selected files from the same image, at
 *       their own paths (never relocated, so the loader finds them); {@code conflicts} says what
 *       happens where the base already has a different file at such a path;
 *   <li>a {@code from: npm} source lays out node_modules under {@code to} from its lockfile;
 *       {@code prune: platform} drops prebuilds for other platforms from node_modules;
 *   <li>device nodes and FIFOs among files from an image are refused unless {@code specialFiles}
 *       is {@link SpecialFiles#KEEP}.
 * </ul>
 * {@code origin} is where the user asked for the layer (the {@code recipe:} line for a recipe's
 * layers), so the pipeline's errors ("path not found in builder") can point at it.
 */
public record LayerSpec(
    String name,
    LayerSource source,
    List<PathSelector> paths,
    List<String> excludes,
    Optional<String> to,
    ClosureMode closure,
    ClosureConflicts conflicts,
    SpecialFiles specialFiles,
    Optional<Compression> compression,
    Optional<String> recipe,
    SourcePos origin,
    Prune prune) {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public LayerSpec {
    Require.nonNull("name, source, to, closure, conflicts, specialFiles, compression, recipe, origin, prune",
        name, source, to, closure, conflicts, specialFiles, compression, recipe, origin, prune);
    paths = List.copyOf(paths);
    excludes = List.copyOf(excludes);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad layer name '" + name + "'");
    }
    if (source.isImage() && paths.isEmpty()) {
      throw new IllegalArgumentException("layer '" + name + "' takes files from an image but names no paths");
    }
    if (closure == ClosureMode.AUTO && !source.isImage()) {
      throw new IllegalArgumentException("layer '" + name + "': closure: auto needs an image source");
    }
    if (to.isPresent() && !to.get().startsWith("/")) {
      throw new IllegalArgumentException("layer '" + name + "': 'to' must be absolute: " + to.get());
    }
    if (source instanceof LayerSource.Npm && (to.isEmpty() || !paths.isEmpty() || !excludes.isEmpty())) {
      throw new IllegalArgumentException("layer '" + name + "': from: npm needs 'to' and takes no paths");
    }
    if (to.isPresent() && source.isImage() && (paths.size() != 1 || paths.get(0).hasGlob()
        || paths.get(0).alternatives().size() != 1)) {
      throw new IllegalArgumentException("layer '" + name + "': 'to' relocates exactly one literal path");
    }
  }

  /** The same layer with another choice for closure conflicts (a recipe use's {@code conflicts:}). */
  public LayerSpec withConflicts(ClosureConflicts c) {
    return new LayerSpec(name, source, paths, excludes, to, closure, c, specialFiles, compression, recipe, origin, prune);
  }
}
