package dev.graft.verify.loader;

import java.util.List;
import java.util.Objects;

/**
 * One library (or the program loader) a closure grafts, as the loader reaches it in the builder.
 *
 * @param loadPath the path the loader opens ({@code /usr/lib/libstdc++.so.6}: a search directory
 *     plus the NEEDED name, or {@code PT_INTERP}); what a program of the base would load is what
 *     the base has at this path
 * @param symlinks the symlinks passed from {@code loadPath} to {@code realPath}
 * @param realPath the regular file it leads to
 * @param neededBy the file that needs it (for messages)
 */
public record ClosureLibrary(String loadPath, List<String> symlinks, String realPath, String neededBy) {
  public ClosureLibrary {
    Objects.requireNonNull(loadPath, "loadPath");
    symlinks = List.copyOf(symlinks);
    Objects.requireNonNull(realPath, "realPath");
    Objects.requireNonNull(neededBy, "neededBy");
  }

  /** Every path grafting this library adds: its symlinks and its file. */
  public List<String> paths() {
    List<String> out = new java.util.ArrayList<>(symlinks);
    out.add(realPath);
    return out;
  }
}
