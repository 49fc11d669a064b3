package dev.graft.npm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The {@code PT_INTERP} path of an ELF executable, read from its first bytes only (the program
 * headers and the interpreter string sit at the start of every linker's output), so the node
 * binary need not be read whole to know its libc.
 */
public final class ElfInterpreter {
  /** How many leading bytes {@link #of} needs at most. */
  public static final int HEAD = 64 * 1024;

  private ElfInterpreter() {}

  /** The interpreter named in {@code head}, or empty (not ELF, static, or past the head). */
  public static Optional<String> of(byte[] head) {
    if (head.length < 52 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
      return Optional.empty();
    }
    boolean is64 = head[4] == 2;
    ByteBuffer b = ByteBuffer.wrap(head).order(head[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    long phoff = is64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
    int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 54 : 42));
    int phnum = Short.toUnsignedInt(b.getShort(is64 ? 56 : 44));
    for (int i = 0; i < phnum; i++) {
      long at = phoff + (long) i * phentsize;
      if (at + (is64 ? 56 : 32) > head.length) {
        return Optional.empty();
      }
      int type = b.getInt((int) at);
      if (type != 3) { // PT_INTERP
        continue;
      }
      long off = is64 ? b.getLong((int) at + 8) : Integer.toUnsignedLong(b.getInt((int) at + 4));
      long size = is64 ? b.getLong((int) at + 32) : Integer.toUnsignedLong(b.getInt((int) at + 16));
      if (off < 0 || size <= 0 || size > 4096 || off + size > head.length) {
        return Optional.empty();
      }
      int end = (int) (off + size);
      while (end > off && head[end - 1] == 0) {
        end--;
      }
      return Optional.of(new String(head, (int) off, end - (int) off, StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }
}
