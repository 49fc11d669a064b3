package dev.graft.elf;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Set;

/**
 * Every global symbol of a file's dynamic symbol table, for checking that each undefined
 * symbol is defined by some object of the process (musl, having no symbol versioning, reports
 * a symbol from a newer musl only as "Error relocating ...: symbol not found"). Kept apart from
 * {@link ElfFile}: a big binary has tens of thousands of names, needed only for this check.
 *
 * @param defined names defined here (any binding but local)
 * @param undefinedStrong names used here but defined elsewhere, not weak (must resolve), sorted
 */
public record DynamicSymbols(Set<String> defined, List<String> undefinedStrong) {
  public DynamicSymbols {
    defined = Set.copyOf(defined);
    undefinedStrong = List.copyOf(undefinedStrong);
  }

  /** Reads a file's dynamic symbols (the caller closes the channel). */
  public static DynamicSymbols read(SeekableByteChannel channel, String name) throws IOException {
    return new ElfParser(new BoundedReader(channel, name), name, true).symbols();
  }
}
