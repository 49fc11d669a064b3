package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * ELF files parsed once for every step of a build that reads them: {@code closure: auto} finds
 * the libraries of node's binary, and verification then judges the same binary in the merged
 * image; both ask an {@link ElfCache} of their own view of the files, and the caches share this.
 * A parse is kept under the file's path and its content name ({@code ImageFiles.contentId}: a
 * layer digest and entry, a spool's source, a file digest), so a file whose bytes differ between
 * the steps is parsed again; a view that cannot name a file's content does not share its parse.
 * Only the small {@link ElfFile} is kept: a binary's symbol table (tens of MB for node) stays with
 * the step that asked for it. Thread-safe (layers are selected concurrently).
 */
public final class ParsedElfs {
  private final ConcurrentMap<String, Object> parsed = new ConcurrentHashMap<>(); // ElfFile or ElfFormatException

  /** What was parsed for this path and content, if anything; an ElfFormatException is rethrown. */
  Optional<ElfFile> find(String realPath, String contentId) {
    Object o = parsed.get(key(realPath, contentId));
    if (o instanceof ElfFormatException e) {
      throw e;
    }
    return Optional.ofNullable((ElfFile) o);
  }

  /** Keeps a parse ({@link ElfFile}) or the refusal ({@link ElfFormatException}) of this path and content. */
  void put(String realPath, String contentId, Object parseOrRefusal) {
    if (!(parseOrRefusal instanceof ElfFile) && !(parseOrRefusal instanceof ElfFormatException)) {
      throw new IllegalArgumentException("not a parse: " + parseOrRefusal);
    }
    parsed.putIfAbsent(key(realPath, contentId), parseOrRefusal);
  }

  /** How many files are kept (for tests). */
  int size() {
    return parsed.size();
  }

  private static String key(String realPath, String contentId) {
    return realPath + "\0" + contentId;
  }
}
