package dev.graft.elf;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every global symbol of a file's dynamic symbol table, for checking that each undefined
 * symbol is defined by some object of the process (musl, having no symbol versioning, reports
 * a symbol from a newer musl only as "Error relocating ...: symbol not found"), and, with glibc,
 * at the version the reference asks for ("undefined symbol: __libc_dynarray_resize, version
 * GLIBC_PRIVATE"). Kept apart from {@link ElfFile}: a big binary has tens of thousands of names,
 * needed only for this check.
 *
 * @param defined names defined here (any binding but local)
 * @param undefinedStrong names used here but defined elsewhere, not weak (must resolve), sorted
 * @param versioned whether the file has a symbol version table (DT_VERSYM)
 * @param versionedDefinitions for defined names that carry a version: each version it is defined at
 * @param undefinedVersions for undefined names whose reference names a version: that version
 */
public record DynamicSymbols(Set<String> defined, List<String> undefinedStrong, boolean versioned,
    Map<String, List<Definition>> versionedDefinitions, Map<String, String> undefinedVersions) {
  /** One versioned definition: {@code name@version} (hidden) or {@code name@@version} (the default). */
  public record Definition(String version, boolean hidden) {
    public Definition {
      Objects.requireNonNull(version, "version");
    }
  }

  public DynamicSymbols {
    defined = Set.copyOf(defined);
    undefinedStrong = List.copyOf(undefinedStrong);
    Map<String, List<Definition>> defs = new HashMap<>();
    versionedDefinitions.forEach((k, v) -> defs.put(k, List.copyOf(v)));
    versionedDefinitions = Map.copyOf(defs);
    undefinedVersions = Map.copyOf(undefinedVersions);
  }

  public DynamicSymbols(Set<String> defined, List<String> undefinedStrong) {
    this(defined, undefinedStrong, false, Map.of(), Map.of());
  }

  /** Reads a file's dynamic symbols (the caller closes the channel). */
  public static DynamicSymbols read(SeekableByteChannel channel, String name) throws IOException {
    return new ElfParser(new BoundedReader(channel, name), name, true).symbols();
  }

  /** The version an undefined symbol's reference asks for, if it names one. */
  public Optional<String> versionOf(String undefined) {
    return Optional.ofNullable(undefinedVersions.get(undefined));
  }

  /**
   * Whether a reference to {@code name} (at {@code version}, or unversioned when null) binds to this
   * file's definition, by glibc's rule ({@code check_match}): a versioned reference takes a
   * definition of that very version, or an unversioned one that is not hidden; a file without
   * version table serves any; an unversioned reference takes an unversioned or a default
   * (non-hidden) definition.
   */
  public boolean serves(String name, String version) {
    if (!defined.contains(name)) {
      return false;
    }
    List<Definition> defs = versionedDefinitions.get(name);
    if (!versioned || defs == null) {
      return true; // defined without a version
    }
    for (Definition d : defs) {
      if (version == null ? !d.hidden() : d.version().equals(version)) {
        return true;
      }
    }
    return false;
  }
}
