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
import java.util.Objects;
import java.util.Optional;

/**
 * Parses each ELF file of an image once (a library is reached from many roots), and, through
 * {@link ParsedElfs}, once for every step of a build that shares it. Not thread-safe.
 */
public final class ElfCache {
  private final ImageFiles files;
  private final ParsedElfs shared;
  private final Map<String, Object> parsed = new HashMap<>(); // ElfFile or ElfFormatException
  private final Map<String, DynamicSymbols> symbols = new HashMap<>();

  public ElfCache(ImageFiles files) {
    this(files, new ParsedElfs());
  }

  /** {@code shared}: parses other views of the same files (earlier steps of the build) made. */
  public ElfCache(ImageFiles files, ParsedElfs shared) {
    this.files = Objects.requireNonNull(files, "files");
    this.shared = Objects.requireNonNull(shared, "shared");
  }

  public ImageFiles files() {
    return files;
  }

  /** A cache of other files (another image) sharing this one's parses. */
  public ElfCache of(ImageFiles other) {
    return new ElfCache(other, shared);
  }

  /** The parsed file at a resolved (symlink-free) path; ElfFormatException if it is not valid ELF. */
  public ElfFile get(String realPath) {
    Object o = parsed.computeIfAbsent(realPath, this::parseOrShared);
    if (o instanceof ElfFormatException e) {
      throw e;
    }
    return (ElfFile) o;
  }

  /**
   * The parse another step made of these very bytes, else a new one (kept for the others). Naming
   * the content ({@code contentId}) counts as reading it for a recording view ({@code VerifyTrace}).
   */
  private Object parseOrShared(String realPath) {
    Optional<String> id = files.contentId(realPath);
    if (id.isPresent()) {
      try {
        Optional<ElfFile> known = shared.find(realPath, id.get());
        if (known.isPresent()) {
          return known.get();
        }
      } catch (ElfFormatException e) {
        return e;
      }
    }
    Object o = parse(realPath);
    id.ifPresent(i -> shared.put(realPath, i, o));
    return o;
  }

  private Object parse(String realPath) {
    try (SeekableByteChannel ch = files.openChannel(realPath)) {
      return ElfFile.parse(ch, realPath);
    } catch (ElfFormatException e) {
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
