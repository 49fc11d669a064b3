package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.oci.Require;
import java.util.List;
import java.util.Optional;

/**
 * One file the loader maps into the process.
 *
 * @param path the path it was opened as (a search directory plus the name; $ORIGIN of its
 *     RUNPATH is this path's directory)
 * @param realPath the regular file it leads to
 * @param symlinks the symlinks passed from {@code path} to {@code realPath}
 * @param elf its parsed headers
 * @param requestedAs the NEEDED name it was loaded for (the root: its path)
 * @param neededBy the object that needed it (empty for the root)
 * @param foundVia which rule found it, e.g. {@code RUNPATH}, {@code LD_LIBRARY_PATH}, {@code default path}
 */
public record LoadedObject(String path, String realPath, List<String> symlinks, ElfFile elf, String requestedAs,
    Optional<LoadedObject> neededBy, String foundVia) {
  public LoadedObject {
    Require.nonNull("path, realPath, elf, requestedAs, neededBy, foundVia",
        path, realPath, elf, requestedAs, neededBy, foundVia);
    symlinks = List.copyOf(symlinks);
  }

  /** The search directories' RPATH/RUNPATH of this object use: RUNPATH wins when both exist. */
  public boolean hasRunpath() {
    return !elf.runpath().isEmpty();
  }

  @Override
  public String toString() {
    return path;
  }
}
