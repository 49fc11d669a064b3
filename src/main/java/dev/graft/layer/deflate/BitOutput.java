package dev.graft.layer.deflate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Deflate's LSB-first bit stream into a growable byte array, four bytes at a time. */
final class BitOutput {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf = new byte[64 * 1024];
  private int pos;
  private long bits;
  private int count;

  void reset() {
    pos = 0;
    bits = 0;
    count = 0;
  }

  /** Makes room for {@code moreBits} more bits without further checks. */
  void ensure(long moreBits) {
    long need = pos + (moreBits >>> 3) + 16;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.max(need, buf.length * 2L));
    }
  }

  /** Writes the low {@code n} bits of {@code value} ({@code n} at most 32, value < 2^n). */
  void put(int value, int n) {
    bits |= (value & 0xFFFFFFFFL) << count;
    count += n;
    if (count >= 32) {
      INT.set(buf, pos, (int) bits);
      pos += 4;
      bits >>>= 32;
      count -= 32;
    }
  }

  /** Bits written so far, modulo 8: where the next bit lands in its byte. */
  int bitOffset() {
    return count & 7;
  }

  /** Pads with zero bits to a byte boundary. */
  void align() {
    while (count > 0) {
      buf[pos++] = (byte) bits;
      bits >>>= 8;
      count = Math.max(count - 8, 0);
    }
    bits = 0;
  }

  /** Raw bytes; the stream must be byte-aligned. */
  void bytes(byte[] src, int off, int len) {
    ensure(8L * len);
    System.arraycopy(src, off, buf, pos, len);
    pos += len;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
