package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Layout files read in place from an uncompressed tar (an oci-archive or docker save), by the
 * offsets of its entries: nothing is unpacked. The archive may be hostile, so only plain files
 * and directories with relative names inside the archive are accepted, each name once.
 */
final class TarLayoutFiles implements LayoutFiles {
  private final Path tar;
  private final Map<String, TarArchiveEntry> files;

  private TarLayoutFiles(Path tar, Map<String, TarArchiveEntry> files) {
    this.tar = tar;
    this.files = Map.copyOf(files);
  }

  static TarLayoutFiles open(Path tar, String where) throws IOException {
    return open(tar, where, false);
  }

  /**
   * Indexes the archive. With {@code symlinksToFiles}, a symlink to a regular file elsewhere in
   * the archive is read as that file: docker save (before Docker 25) and skopeo link a repeated
   * layer that way. Anything else that is not a plain file or directory is refused.
   */
  static TarLayoutFiles open(Path tar, String where, boolean symlinksToFiles) throws IOException {
    Map<String, TarArchiveEntry> files = new HashMap<>();
    Map<String, String> links = new HashMap<>();
    try (TarFile archive = new TarFile(tar)) {
      for (TarArchiveEntry e : archive.getEntries()) {
        String name = normalize(e.getName(), where);
        if (symlinksToFiles && e.isSymbolicLink()) {
          links.put(name, linkTarget(name, e.getLinkName(), where));
          continue;
        }
        if (e.isSymbolicLink() || e.isLink() || e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()
            || e.isSparse()) {
          throw new OciFormatException(where + ": archive entry '" + e.getName()
              + "' is a link or special file; image archives hold only files and directories");
        }
        if (e.isDirectory() || name.isEmpty()) {
          continue;
        }
        if (!e.isFile()) {
          throw new OciFormatException(where + ": archive entry '" + e.getName() + "' is not a regular file");
        }
        if (files.put(name, e) != null) {
          throw new OciFormatException(where + ": archive holds '" + e.getName() + "' twice");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": not a readable tar archive: " + e.getMessage(), e);
    } catch (IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
        throw e;
      }
      throw new OciFormatException(where + ": not a readable tar archive: " + e.getMessage(), e);
    }
    for (Map.Entry<String, String> link : links.entrySet()) {
      // Only one hop, to a regular file: no chains, loops or directories.
      TarArchiveEntry target = files.get(link.getValue());
      if (target == null) {
        throw new OciFormatException(where + ": archive entry '" + link.getKey()
            + "' links to '" + link.getValue() + "', which is not a regular file in the archive");
      }
      if (files.putIfAbsent(link.getKey(), target) != null) {
        throw new OciFormatException(where + ": archive holds '" + link.getKey() + "' twice");
      }
    }
    return new TarLayoutFiles(tar, files);
  }

  /** A relative symlink's target as an archive name; one that climbs above the root is refused. */
  static String linkTarget(String name, String link, String where) {
    if (link.startsWith("/")) {
      throw new OciFormatException(where + ": archive entry '" + name + "' links to the absolute path '" + link + "'");
    }
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>(List.of(name.split("/")));
    parts.removeLast();
    for (String part : link.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new OciFormatException(where + ": archive entry '" + name + "' links outside the archive");
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  /** {@code ./a//b} → {@code a/b}; absolute names and {@code ..} are refused. */
  static String normalize(String raw, String where) {
    if (raw.startsWith("/") || raw.contains("\\") || raw.indexOf('\0') >= 0) {
      throw new OciFormatException(where + ": archive entry '" + raw + "' has an absolute or odd path");
    }
    StringBuilder out = new StringBuilder();
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new OciFormatException(where + ": archive entry '" + raw + "' escapes the archive root");
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(part);
    }
    return out.toString();
  }

  @Override
  public long size(String name) {
    TarArchiveEntry e = files.get(name);
    return e == null ? -1 : e.getSize();
  }

  @Override
  public InputStream open(String name) throws IOException {
    TarArchiveEntry e = files.get(name);
    if (e == null) {
      throw new java.nio.file.NoSuchFileException(tar + "!" + name);
    }
    return new Slice(FileChannel.open(tar, StandardOpenOption.READ), e.getDataOffset(), e.getSize());
  }

  @Override
  public void close() {}

  /** A window of a file read with positional reads: safe while other threads read other windows. */
  private static final class Slice extends BulkReadInputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    Slice(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= end) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (n < 0) {
        throw new java.io.EOFException("archive ends inside an entry (truncated file)");
      }
      position += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
