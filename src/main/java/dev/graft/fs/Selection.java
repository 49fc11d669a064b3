package dev.graft.fs;

import dev.graft.layer.TarPaths;
import java.util.List;
import java.util.Objects;

/**
 * What to take out of an image: {@code include} holds absolute paths or globs ({@code *} and
 * {@code ?} within one component, {@code **} across any number of them); a directory named
 * exactly is taken whole. {@code exclude} globs drop matches (and everything below them); a
 * relative exclude ({@code *.md}) matches at any depth.
 * When {@code from} is set, selected paths under it are placed under {@code to} instead; an
 * empty {@code include} then means "all of {@code from}".
 */
public record Selection(List<String> include, List<String> exclude, String from, String to) {
  public Selection {
    include = List.copyOf(include == null ? List.of() : include);
    exclude = List.copyOf(exclude == null ? List.of() : exclude);
    from = from == null || from.isEmpty() ? null : TarPaths.clean(requireAbsolute(from, "from"));
    to = to == null || to.isEmpty() ? null : TarPaths.clean(requireAbsolute(to, "to"));
    if ((from == null) != (to == null)) {
      throw new IllegalArgumentException("relocation needs both 'from' and 'to' (got from=" + from + ", to=" + to + ")");
    }
    if (include.isEmpty() && from == null) {
      throw new IllegalArgumentException("a selection needs at least one path (or a 'from' directory)");
    }
    include.forEach(p -> requireAbsolute(p, "path"));
  }

  public static Selection of(String... paths) {
    return new Selection(List.of(paths), List.of(), null, null);
  }

  public static Selection relocate(String from, String to) {
    return new Selection(List.of(), List.of(), from, to);
  }

  public Selection excluding(String... globs) {
    return new Selection(include, List.of(globs), from, to);
  }

  /** The include list as used: {@code from} itself when the list is empty. */
  public List<String> effectiveInclude() {
    return include.isEmpty() ? List.of(from) : include;
  }

  /** Exclude globs as absolute patterns: relative ones match at any depth. */
  public List<String> absoluteExcludes() {
    return exclude.stream().map(e -> e.startsWith("/") ? e : e.startsWith("**/") ? "/" + e : "/**/" + e).toList();
  }

  /** Where a source path goes in the new layer. */
  public String destination(String sourcePath) {
    if (from != null && TarPaths.isWithin(sourcePath, from)) {
      return TarPaths.clean(to + "/" + sourcePath.substring(from.length()));
    }
    return sourcePath;
  }

  private static String requireAbsolute(String p, String what) {
    Objects.requireNonNull(p, what);
    if (!p.startsWith("/")) {
      throw new IllegalArgumentException(what + " must be an absolute path inside the image: '" + p + "'");
    }
    return p;
  }
}
