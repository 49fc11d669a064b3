package dev.graft.verify.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * glibc refuses to start a program when a library it loads lacks a version the program was
 * linked against ("version `GLIBCXX_3.4.30' not found (required by ...)"). musl has no symbol
 * versioning, so only glibc resolutions are checked.
 */
public final class SymbolVersionCheck {
  private SymbolVersionCheck() {}

  /**
   * One unmet version need.
   *
   * @param neededBy the object whose {@code .gnu.version_r} asks
   * @param library the NEEDED name the versions are asked of
   * @param libraryPath the file that name resolved to
   * @param missing versions the file does not define
   * @param newestDefined the newest definition of the same family (e.g. GLIBCXX_3.4.28), if any
   */
  public record MissingVersion(String neededBy, String library, String libraryPath, List<String> missing,
      Optional<String> newestDefined) {
    public MissingVersion {
      Objects.requireNonNull(neededBy, "neededBy");
      missing = List.copyOf(missing);
    }
  }

  public static List<MissingVersion> check(LoaderResolution r) {
    List<MissingVersion> out = new ArrayList<>();
    if (r.rules().libc() != Libc.GLIBC) {
      return out;
    }
    for (LoadedObject obj : r.own()) {
      obj.elf().versionNeeds().forEach((file, versions) -> {
        Optional<LoadedObject> lib = r.byName(file);
        if (lib.isEmpty()) {
          return; // reported as a missing library
        }
        List<String> defined = lib.get().elf().versionDefs();
        List<String> missing = versions.stream().filter(v -> !defined.contains(v)).sorted(VersionOrder::compare).toList();
        if (!missing.isEmpty()) {
          String family = VersionOrder.family(missing.get(0));
          Optional<String> newest = defined.stream().filter(d -> VersionOrder.family(d).equals(family))
              .max(VersionOrder::compare);
          out.add(new MissingVersion(obj.path(), file, lib.get().realPath(), missing, newest));
        }
      });
    }
    return out;
  }
}
