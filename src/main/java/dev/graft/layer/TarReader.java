package dev.graft.layer;

import dev.graft.oci.BulkReadInputStream;
import dev.graft.oci.Printable;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Streams the entries of an uncompressed tar (ustar, GNU and PAX). Our own reader rather than
 * commons-compress: that one decodes PAX values as UTF-8, which corrupts binary xattrs such as
 * {@code security.capability}, and we want hostile input (escaping names, giant sizes, truncation)
 * refused with one message naming the layer and the entry.
 */
public final class TarReader implements Closeable {
  /** Largest entry we accept; a header declaring more is hostile or broken (no layer file is 1 TiB). */
  public static final long MAX_ENTRY_SIZE = 1L << 40;
  /**
   * Longest entry path accepted, in bytes: Linux's PATH_MAX. No runtime can create a longer one by
   * path, and a name of 100 000 components would exhaust the stack of anything that walks it.
   */
  public static final int MAX_PATH_BYTES = 4096;
  /** PAX and GNU long-name records are read into memory, so they are bounded. */
  static final int MAX_META_SIZE = 1 << 20;

  private final InputStream in;
  private final String layer;
  private final byte[] block = new byte[512];
  private long ordinal = -1;
  private long remaining;
  private long padding;
  private TarEntry current;
  private Map<String, String> globalPax = Map.of();
  private boolean done;

  /** {@code layer} names the layer in errors (its digest, or a file name). */
  public TarReader(InputStream in, String layer) {
    this.in = in;
    this.layer = layer;
  }

  public String layer() {
    return layer;
  }

  /** The next entry, or null at the end of the archive. Skips the unread content of the previous one. */
  public TarEntry next() throws IOException {
    if (done) {
      return null;
    }
    skipRest();
    Map<String, byte[]> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      if (!readBlock(true)) {
        return finish();
      }
      if (isZero(block)) {
        return finish();
      }
      verifyChecksum();
      byte flag = block[156];
      long size = parseNumber(124, 12, "size");
      if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
        byte[] data = readMeta(size, (char) flag);
        switch (flag) {
          case 'x' -> pax.putAll(parsePax(data));
          case 'g' -> {
            Map<String, String> g = new HashMap<>(globalPax);
            parsePax(data).forEach((k, v) -> g.put(k, new String(v, StandardCharsets.UTF_8)));
            globalPax = g;
          }
          case 'L' -> longName = cString(data, 0, data.length);
          default -> longLink = cString(data, 0, data.length);
        }
        continue;
      }
      return current = entry(flag, size, pax, longName, longLink);
    }
  }

  private TarEntry entry(byte flag, long size, Map<String, byte[]> pax, String longName, String longLink)
      throws IOException {
    ordinal++;
    String rawName = longName != null ? longName : ustarName();
    String rawLink = longLink != null ? longLink : cString(block, 157, 100);
    Map<String, String> strings = new HashMap<>(globalPax);
    SortedMap<String, Bytes> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("SCHILY.xattr.")) {
        xattrs.put(k.substring("SCHILY.xattr.".length()), new Bytes(e.getValue()));
      } else if (k.startsWith("LIBARCHIVE.xattr.")) {
        String name = java.net.URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
        xattrs.put(name, new Bytes(Base64.getDecoder().decode(new String(e.getValue(), StandardCharsets.US_ASCII))));
      } else {
        strings.put(k, new String(e.getValue(), StandardCharsets.UTF_8));
      }
    }
    if (strings.containsKey("path")) {
      rawName = strings.get("path");
    }
    if (strings.containsKey("linkpath")) {
      rawLink = strings.get("linkpath");
    }
    if (rawName.length() > MAX_PATH_BYTES && rawName.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw fail("entry '" + Printable.path(rawName.substring(0, 80)) + "…' has a name of "
          + rawName.getBytes(StandardCharsets.UTF_8).length + " bytes, over Linux's PATH_MAX of " + MAX_PATH_BYTES);
    }
    String path = TarPaths.normaliseEntryName(rawName);
    if (path == null) {
      throw fail("entry '" + Printable.path(rawName) + "' has an absolute or '..' name that would escape the image root");
    }
    if (strings.containsKey("size")) {
      size = paxNumber(strings.get("size"), "size", Printable.path(rawName));
    }
    if (strings.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse"))) {
      throw fail("entry '" + Printable.path(rawName) + "' is a sparse file, which image layers do not use");
    }
    if (size < 0 || size > MAX_ENTRY_SIZE) {
      throw fail("entry '" + Printable.path(rawName) + "' declares " + size + " bytes (over the " + MAX_ENTRY_SIZE + "-byte limit)");
    }
    EntryType type = switch (flag) {
      case '0', 0, '7' -> rawName.endsWith("/") ? EntryType.DIR : EntryType.FILE;
      case '1' -> EntryType.HARDLINK;
      case '2' -> EntryType.SYMLINK;
      case '3' -> EntryType.CHAR;
      case '4' -> EntryType.BLOCK;
      case '5', 'D' -> EntryType.DIR;
      case '6' -> EntryType.FIFO;
      default -> throw fail("entry '" + Printable.path(rawName) + "' has unsupported tar type '" + (char) flag + "'");
    };
    String link = "";
    if (type == EntryType.HARDLINK) {
      link = TarPaths.normaliseEntryName(rawLink);
      if (link == null || link.equals("/")) {
        throw fail("hardlink '" + Printable.path(rawName) + "' points to '" + Printable.path(rawLink) + "', outside the image root");
      }
      size = 0;
    } else if (type == EntryType.SYMLINK) {
      if (rawLink.isEmpty()) {
        throw fail("symlink '" + Printable.path(rawName) + "' has an empty target");
      }
      link = rawLink;
      size = 0;
    } else if (type != EntryType.FILE) {
      size = 0; // only regular files carry content; ignore sizes on directories and devices
    }
    long uid = strings.containsKey("uid") ? paxNumber(strings.get("uid"), "uid", Printable.path(rawName)) : parseNumber(108, 8, "uid");
    long gid = strings.containsKey("gid") ? paxNumber(strings.get("gid"), "gid", Printable.path(rawName)) : parseNumber(116, 8, "gid");
    int mode = (int) (parseNumber(100, 8, "mode") & 07777);
    int major = (int) parseNumber(329, 8, "devmajor");
    int minor = (int) parseNumber(337, 8, "devminor");
    // Links, directories, devices and fifos carry no data whatever size they declare (as Go's
    // archive/tar, and so containerd and umoci, read them); GNU dumpdirs ('D') do.
    long dataSize = type == EntryType.FILE ? size : flag == 'D' ? parseNumber(124, 12, "size") : 0;
    if (dataSize < 0 || dataSize > MAX_ENTRY_SIZE) {
      throw fail("entry '" + Printable.path(rawName) + "' declares " + dataSize + " bytes (over the " + MAX_ENTRY_SIZE + "-byte limit)");
    }
    remaining = dataSize;
    padding = (512 - dataSize % 512) % 512;
    return new TarEntry(ordinal, path, new EntryMetadata(type, mode, uid, gid, size, link, major, minor, xattrs));
  }

  /** The content of the entry {@link #next} returned; fails when the stream ends early. */
  public InputStream content() {
    TarEntry entry = current;
    return new BulkReadInputStream() {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (entry != current || remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw truncated(entry.path());
        }
        remaining -= n;
        return n;
      }
    };
  }

  private TarEntry finish() throws IOException {
    done = true;
    current = null;
    // Drain to the end so a verifying source stream checks the blob digest.
    in.transferTo(OutputStreamSink.INSTANCE);
    return null;
  }

  private void skipRest() throws IOException {
    long left = remaining + padding;
    byte[] buf = new byte[8192];
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw truncated(current == null ? "?" : current.path());
      }
      left -= n;
    }
    remaining = 0;
    padding = 0;
  }

  private boolean readBlock(boolean eofAllowed) throws IOException {
    int off = 0;
    while (off < 512) {
      int n = in.read(block, off, 512 - off);
      if (n < 0) {
        if (off == 0 && eofAllowed) {
          return false; // missing end-of-archive blocks: tolerated, as GNU tar does
        }
        throw fail("the tar stream ends inside a header (truncated layer)");
      }
      off += n;
    }
    return true;
  }

  private byte[] readMeta(long size, char kind) throws IOException {
    if (size < 0 || size > MAX_META_SIZE) {
      throw fail("a '" + kind + "' record declares " + size + " bytes (over the " + MAX_META_SIZE + "-byte limit)");
    }
    byte[] data = in.readNBytes((int) size);
    long pad = (512 - size % 512) % 512;
    if (data.length < size || in.readNBytes((int) pad).length < pad) {
      throw fail("the tar stream ends inside a '" + kind + "' record (truncated layer)");
    }
    return data;
  }

  private Map<String, byte[]> parsePax(byte[] data) throws LayerFormatException {
    Map<String, byte[]> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break;
      }
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw fail("malformed PAX record at byte " + pos);
      }
      int end = pos + len;
      if (len <= 0 || end > data.length || data[end - 1] != '\n') {
        throw fail("malformed PAX record at byte " + pos);
      }
      int eq = space + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw fail("malformed PAX record at byte " + pos);
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
      out.put(key, value);
      pos = end;
    }
    return out;
  }

  private String ustarName() {
    String name = cString(block, 0, 100);
    // The prefix field exists only in POSIX ustar; GNU tar keeps atime/ctime there.
    boolean posix = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
        && block[261] == 'r' && block[262] == 0;
    if (posix && block[345] != 0) {
      return cString(block, 345, 155) + "/" + name;
    }
    return name;
  }

  private void verifyChecksum() throws LayerFormatException {
    long stored = parseNumber(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < 512; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw fail("tar header " + (ordinal + 1) + " has a bad checksum (corrupt or not a tar)");
    }
  }

  private long parseNumber(int off, int len, String field) throws LayerFormatException {
    if ((block[off] & 0x80) != 0) {
      if ((block[off] & 0xff) == 0xff) {
        throw fail("tar header field " + field + " is negative");
      }
      // GNU base-256: big-endian binary, first byte's top bit is the marker.
      long v = block[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        if ((v >>> 55) != 0) {
          throw fail("tar header field " + field + " overflows 64 bits");
        }
        v = (v << 8) | (block[off + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    for (; i < end && block[i] >= '0' && block[i] <= '7'; i++) {
      v = (v << 3) | (block[i] - '0');
    }
    return v;
  }

  private long paxNumber(String text, String key, String entry) throws LayerFormatException {
    try {
      long v = Long.parseLong(text.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw fail("entry '" + entry + "' has a bad PAX " + key + " '" + Printable.path(text) + "'");
    }
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private LayerFormatException truncated(String entry) {
    return fail("the tar stream ends inside entry '" + Printable.path(entry) + "' (truncated layer)");
  }

  private LayerFormatException fail(String message) {
    return new LayerFormatException("layer " + layer + ": " + message);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
