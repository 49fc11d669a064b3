package dev.graft.verify.loader;

import dev.graft.elf.DynamicSymbols;
import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.util.HashMap;
import java.util.Map;

/** Parses each ELF file of an image once (a library is reached from many roots). Not thread-safe. */
public final class ElfCache {
  private final ImageFiles files;
  private final Map<String, Object> parsed = new HashMap<>(); // ElfFile or ElfFormatException
  private final Map<String, DynamicSymbols> symbols = new HashMap<>();

  public ElfCache(ImageFiles files) {
    this.files = files;
  }

  public ImageFiles files() {
    return files;
  }

  /** The parsed file at a resolved (symlink-free) path; ElfFormatException if it is not valid ELF. */
  public ElfFile get(String realPath) {
    Object o = parsed.computeIfAbsent(realPath, p -> {
      try (SeekableByteChannel ch = files.openChannel(p)) {
        return ElfFile.parse(ch, p);
      } catch (ElfFormatException e) {
        return e;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (o instanceof ElfFormatException e) {
      throw e;
    }
    return (ElfFile) o;
  }

  /** All global dynamic symbols of a resolved path (read on demand: big binaries have many). */
  public DynamicSymbols symbols(String realPath) {
    return symbols.computeIfAbsent(realPath, p -> {
      try (SeekableByteChannel ch = files.openChannel(p)) {
        return DynamicSymbols.read(ch, p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Whether the regular file at a resolved path starts with the ELF magic. */
  public boolean isElf(String realPath) {
    if (parsed.containsKey(realPath)) {
      return parsed.get(realPath) instanceof ElfFile;
    }
    try (InputStream in = files.open(realPath)) { // a stream: only 4 bytes are read, even from a layer
      byte[] head = in.readNBytes(4);
      return ElfFile.hasElfMagic(head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
