package dev.graft.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a tar whose bytes depend only on the entries given: POSIX ustar headers, a PAX record
 * only when a value does not fit (long names, big ids or sizes, xattrs), empty user/group names,
 * one fixed mtime, no atime/ctime. Our own writer because commons-compress encodes PAX values as
 * UTF-8 text, which corrupts binary xattrs (file capabilities).
 */
public final class TarWriter {
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;
  private static final byte[] USTAR = {'u', 's', 't', 'a', 'r', 0, '0', '0'};

  private final OutputStream out;
  private final long mtime;
  private final byte[] zeros = new byte[1024];
  /** One buffer for every entry's content: a fresh 64 KiB per file dominated tarring small files. */
  private final byte[] copyBuffer = new byte[1 << 16];

  /** {@code mtimeSeconds}: the one modification time every entry gets (SOURCE_DATE_EPOCH). */
  public TarWriter(OutputStream out, long mtimeSeconds) {
    if (mtimeSeconds < 0 || mtimeSeconds > MAX_OCTAL_11) {
      throw new IllegalArgumentException("mtime out of range: " + mtimeSeconds);
    }
    this.out = out;
    this.mtime = mtimeSeconds;
  }

  /**
   * Writes one entry; {@code path} is absolute (written without the leading slash, directories
   * with a trailing one). {@code content} must hold exactly {@code entry.size()} bytes for files
   * and is ignored otherwise.
   */
  public void write(String path, EntryMetadata entry, InputStream content) throws IOException {
    if (path.equals("/")) {
      throw new IllegalArgumentException("the root directory is not written as an entry");
    }
    String name = path.substring(1) + (entry.type() == EntryType.DIR ? "/" : "");
    String link = entry.type() == EntryType.HARDLINK ? entry.linkTarget().substring(1) : entry.linkTarget();
    long size = entry.type() == EntryType.FILE ? entry.size() : 0;
    byte[] paxBytes = paxRecords(entry, name, link, size);
    boolean linkFits = link.getBytes(StandardCharsets.UTF_8).length <= 100; // else it goes in PAX linkpath
    byte[] header = header(fitName(name), linkFits ? link : "", entry, size);
    if (paxBytes.length > 0) {
      String paxName = "PaxHeaders/" + TarPaths.name(path);
      byte[] paxHeader = rawHeader(fitName(paxName.length() > 100 ? paxName.substring(0, 100) : paxName),
          "", 'x', 0644, 0, 0, paxBytes.length, 0, 0);
      out.write(paxHeader);
      out.write(paxBytes);
      pad(paxBytes.length);
    }
    out.write(header);
    if (size > 0) {
      long copied = copy(content, size);
      if (copied != size) {
        throw new IOException("content of " + path + " has " + copied + " bytes, expected " + size
            + " (changed while being read?)");
      }
      if (content.read() >= 0) {
        throw new IOException("content of " + path + " is longer than " + size
            + " bytes (changed while being read?)");
      }
      pad(size);
    }
  }

  /** Writes the end-of-archive marker (two zero blocks). Does not close the stream. */
  public void finish() throws IOException {
    out.write(zeros);
    out.flush();
  }

  private byte[] header(String[] nameParts, String link, EntryMetadata e, long size) {
    char flag = switch (e.type()) {
      case FILE -> '0';
      case HARDLINK -> '1';
      case SYMLINK -> '2';
      case CHAR -> '3';
      case BLOCK -> '4';
      case DIR -> '5';
      case FIFO -> '6';
    };
    long uid = e.uid() <= MAX_OCTAL_7 ? e.uid() : 0;
    long gid = e.gid() <= MAX_OCTAL_7 ? e.gid() : 0;
    long sz = size <= MAX_OCTAL_11 ? size : 0;
    byte[] h = rawHeader(nameParts, link, flag, e.mode(), uid, gid, sz, e.devMajor(), e.devMinor());
    return h;
  }

  private byte[] rawHeader(String[] nameParts, String link, char flag, int mode, long uid, long gid, long size,
      int major, int minor) {
    byte[] h = new byte[512];
    put(h, 0, 100, nameParts[1]);
    octal(h, 100, 8, mode & 07777);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) flag;
    put(h, 157, 100, link);
    System.arraycopy(USTAR, 0, h, 257, USTAR.length); // "ustar\0" + version "00": POSIX, so the prefix field is honoured
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    put(h, 345, 155, nameParts[0]);
    // The checksum counts its own field as eight spaces; then it is six digits, NUL, space.
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[154] = 0;
    return h;
  }

  /** Splits a name into ustar prefix and name; {"", ""} placeholders when it needs PAX instead. */
  private static String[] fitName(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    if (b.length <= 100) {
      return new String[] {"", name};
    }
    // Split at a slash so that prefix <= 155 and name <= 100 bytes, if any such slash exists.
    for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
      int prefixLen = name.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
      int restLen = b.length - prefixLen - 1;
      if (prefixLen <= 155 && restLen <= 100 && restLen > 0) {
        return new String[] {name.substring(0, i), name.substring(i + 1)};
      }
    }
    String truncated = new String(b, 0, 100, StandardCharsets.ISO_8859_1); // placeholder; PAX path wins
    return new String[] {"", truncated};
  }

  private static byte[] paxRecords(EntryMetadata e, String name, String link, long size) {
    java.io.ByteArrayOutputStream pax = new java.io.ByteArrayOutputStream();
    String[] parts = fitName(name);
    boolean nameFits = !(parts[0] + parts[1]).isEmpty()
        && ((parts[0].isEmpty() ? "" : parts[0] + "/") + parts[1]).equals(name);
    if (!nameFits) {
      record(pax, "path", name.getBytes(StandardCharsets.UTF_8));
    }
    if (link.getBytes(StandardCharsets.UTF_8).length > 100) {
      record(pax, "linkpath", link.getBytes(StandardCharsets.UTF_8));
    }
    if (e.uid() > MAX_OCTAL_7) {
      record(pax, "uid", Long.toString(e.uid()).getBytes(StandardCharsets.US_ASCII));
    }
    if (e.gid() > MAX_OCTAL_7) {
      record(pax, "gid", Long.toString(e.gid()).getBytes(StandardCharsets.US_ASCII));
    }
    if (size > MAX_OCTAL_11) {
      record(pax, "size", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
    }
    for (Map.Entry<String, Bytes> x : e.xattrs().entrySet()) {
      record(pax, "SCHILY.xattr." + x.getKey(), x.getValue().value());
    }
    return pax.toByteArray();
  }

  /** One PAX record, {@code "<len> key=value\n"}, where len counts its own digits. */
  private static void record(java.io.ByteArrayOutputStream pax, String key, byte[] value) {
    int body = 1 + key.getBytes(StandardCharsets.UTF_8).length + 1 + value.length + 1;
    int len = body + Integer.toString(body).length();
    if (Integer.toString(len).length() != Integer.toString(body).length()) {
      len++;
    }
    pax.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
    pax.writeBytes(value);
    pax.write('\n');
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(len, b.length));
  }

  /**
   * {@code v} as zero-padded octal digits in the first {@code len - 1} bytes of the field (its
   * leading digits when it has more), written digit by digit: the header is made for every entry,
   * and the string building this replaced made it the JIT's costliest compile of a cold build.
   */
  private static void octal(byte[] h, int off, int len, long v) {
    int width = len - 1;
    int digits = v == 0 ? 1 : (66 - Long.numberOfLeadingZeros(v)) / 3; // v unsigned, as toOctalString
    int pad = Math.max(width, digits) - digits;
    for (int i = 0; i < width; i++) {
      int d = i - pad; // the d-th digit from the most significant one
      h[off + i] = (byte) (d < 0 ? '0' : '0' + (int) ((v >>> (3 * (digits - 1 - d))) & 7));
    }
  }

  private long copy(InputStream in, long size) throws IOException {
    byte[] buf = copyBuffer;
    long total = 0;
    while (total < size) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, size - total));
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }

  private void pad(long size) throws IOException {
    int p = (int) ((512 - size % 512) % 512);
    out.write(zeros, 0, p);
  }
}
