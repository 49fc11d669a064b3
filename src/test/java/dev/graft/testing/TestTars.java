package dev.graft.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Hand-made tars for tests, written byte by byte independently of graft's own writer, so tests can
 * also build hostile ones (escaping names, giant sizes, truncation) that no sane writer produces.
 */
public final class TestTars {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static TestTars create() {
    return new TestTars();
  }

  public TestTars dir(String name) {
    return entry(name, '5', 0755, 0, 0, "", new byte[0], Map.of(), -1);
  }

  public TestTars dir(String name, int mode, int uid, int gid) {
    return entry(name, '5', mode, uid, gid, "", new byte[0], Map.of(), -1);
  }

  public TestTars file(String name, String content) {
    return entry(name, '0', 0644, 0, 0, "", content.getBytes(StandardCharsets.UTF_8), Map.of(), -1);
  }

  public TestTars file(String name, String content, int mode, int uid, int gid) {
    return entry(name, '0', mode, uid, gid, "", content.getBytes(StandardCharsets.UTF_8), Map.of(), -1);
  }

  public TestTars symlink(String name, String target) {
    return entry(name, '2', 0777, 0, 0, target, new byte[0], Map.of(), -1);
  }

  public TestTars hardlink(String name, String target) {
    return entry(name, '1', 0644, 0, 0, target, new byte[0], Map.of(), -1);
  }

  public TestTars whiteout(String dir, String name) {
    return file((dir.isEmpty() ? "" : dir + "/") + ".wh." + name, "");
  }

  public TestTars opaque(String dir) {
    return file(dir + "/.wh..wh..opq", "");
  }

  /** A file with extended attributes, written as SCHILY.xattr PAX records with raw (binary) values. */
  public TestTars fileWithXattrs(String name, String content, int mode, Map<String, byte[]> xattrs) {
    return entry(name, '0', mode, 0, 0, "", content.getBytes(StandardCharsets.UTF_8), xattrs, -1);
  }

  /** A file header declaring {@code declaredSize} bytes while carrying {@code content}. */
  public TestTars fileDeclaring(String name, long declaredSize, String content) {
    return entry(name, '0', 0644, 0, 0, "", content.getBytes(StandardCharsets.UTF_8), Map.of(), declaredSize);
  }

  /** A character ('3') or block ('4') device node. */
  public TestTars device(String name, char type, int major, int minor) {
    entry(name, type, 0660, 0, 0, "", new byte[0], Map.of(), -1);
    byte[] all = out.toByteArray();
    int h = all.length - 512; // the header just written (devices have no data blocks)
    byte[] header = java.util.Arrays.copyOfRange(all, h, all.length);
    put(header, 329, String.format("%07o", major));
    put(header, 337, String.format("%07o", minor));
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    out.reset();
    out.write(all, 0, h);
    out.writeBytes(header);
    return this;
  }

  /**
   * A decompression bomb: a zstd tar holding one file of {@code zeros} zero bytes, streamed (never
   * held), so a few GiB fit in some tens of KiB.
   */
  public static byte[] zstdBomb(long zeros) {
    TestTars head = create();
    head.writeHeader("zeros", '0', 0644, 0, 0, "", zeros);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (var z = new com.github.luben.zstd.ZstdOutputStream(b, 3)) {
      z.write(head.out.toByteArray());
      byte[] block = new byte[1 << 20];
      for (long left = zeros; left > 0; left -= block.length) {
        z.write(block, 0, (int) Math.min(block.length, left));
      }
      z.write(new byte[(int) ((512 - zeros % 512) % 512) + 1024]);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return b.toByteArray();
  }

  public byte[] bytes() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(new byte[1024]);
    return copy.toByteArray();
  }

  public byte[] gzip() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(bytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return b.toByteArray();
  }

  public byte[] zstd() {
    try {
      return com.github.luben.zstd.Zstd.compress(bytes());
    } catch (RuntimeException e) {
      throw new AssertionError(e);
    }
  }

  private TestTars entry(String name, char type, int mode, int uid, int gid, String link, byte[] data,
      Map<String, byte[]> xattrs, long declaredSize) {
    if (!xattrs.isEmpty()) {
      ByteArrayOutputStream pax = new ByteArrayOutputStream();
      for (Map.Entry<String, byte[]> x : new LinkedHashMap<>(xattrs).entrySet()) {
        byte[] key = ("SCHILY.xattr." + x.getKey()).getBytes(StandardCharsets.UTF_8);
        int body = key.length + x.getValue().length + 3;
        int len = body + String.valueOf(body).length();
        len = body + String.valueOf(len).length();
        pax.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        pax.writeBytes(key);
        pax.write('=');
        pax.writeBytes(x.getValue());
        pax.write('\n');
      }
      writeHeader("PaxHeader", 'x', 0644, 0, 0, "", pax.size());
      writeData(pax.toByteArray());
    }
    writeHeader(name, type, mode, uid, gid, link, declaredSize >= 0 ? declaredSize : data.length);
    writeData(data);
    return this;
  }

  private void writeHeader(String name, char type, int mode, int uid, int gid, String link, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, String.format("%07o", mode));
    put(h, 108, String.format("%07o", uid));
    put(h, 116, String.format("%07o", gid));
    if (size > 077777777777L) {
      // GNU base-256 for sizes octal cannot hold.
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      put(h, 124, String.format("%011o", size));
    }
    put(h, 136, String.format("%011o", 1));
    h[156] = (byte) type;
    put(h, 157, link);
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    out.writeBytes(h);
  }

  private void writeData(byte[] data) {
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
