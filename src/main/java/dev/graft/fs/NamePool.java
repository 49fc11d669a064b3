package dev.graft.fs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Strings as UTF-8 in one growable byte array, each preceded by its length (varint). */
final class NamePool {
  private byte[] bytes = new byte[1 << 14];
  private int used;

  int add(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if ((long) used + b.length + 5 > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("over 2 GiB of names in one image");
    }
    if (used + b.length + 5 > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) bytes.length * 2,
          (long) used + b.length + 5)));
    }
    int at = used;
    int len = b.length;
    while (len >= 0x80) {
      bytes[used++] = (byte) (len | 0x80);
      len >>>= 7;
    }
    bytes[used++] = (byte) len;
    System.arraycopy(b, 0, bytes, used, b.length);
    used += b.length;
    return at;
  }

  private int length(int at) {
    int len = 0;
    int shift = 0;
    int i = at;
    while ((bytes[i] & 0x80) != 0) {
      len |= (bytes[i++] & 0x7f) << shift;
      shift += 7;
    }
    return len | (bytes[i] << shift);
  }

  private int start(int at) {
    int i = at;
    while ((bytes[i] & 0x80) != 0) {
      i++;
    }
    return i + 1;
  }

  String get(int at) {
    return new String(bytes, start(at), length(at), StandardCharsets.UTF_8);
  }

  boolean equals(int at, byte[] other) {
    return length(at) == other.length
        && Arrays.equals(bytes, start(at), start(at) + other.length, other, 0, other.length);
  }

  int hash(int at, int dir) {
    return TreeIndex.hash(dir, bytes, start(at), length(at));
  }

  int compare(int a, int b) {
    int sa = start(a);
    int sb = start(b);
    return Arrays.compareUnsigned(bytes, sa, sa + length(a), bytes, sb, sb + length(b));
  }
}
