package dev.graft.layer;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality. Extended attribute values are binary (file
 * capabilities are a little-endian struct), so they cannot be held as Strings.
 */
public record Bytes(byte[] value) {
  public Bytes {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(value, b.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(value);
  }
}
