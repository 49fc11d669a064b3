package dev.graft.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

/**
 * The constant a tiny function returns, read from its first instructions: what the Node-API
 * headers' {@code node_api_module_get_api_version_v1() { return NAPI_VERSION; }} compiles to.
 * Only the forms compilers emit for that body are recognised ("load an immediate into the return
 * register, return", optionally after a branch-target or frame-setup prologue); anything else
 * is unknown, never a guess. x86_64 and aarch64 only (what the real addons in the tests show);
 * 32-bit ARM is unknown.
 */
final class ReturnedConstant {
  private static final int MACHINE_X86_64 = 62;
  private static final int MACHINE_AARCH64 = 183;

  private ReturnedConstant() {}

  /** @param code the function's first bytes (up to 32), in the file's byte order */
  static OptionalInt decode(int machine, ByteBuffer code) {
    if (code.order() != ByteOrder.LITTLE_ENDIAN) {
      return OptionalInt.empty(); // big-endian aarch64 exists in theory only
    }
    ByteBuffer b = code.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return switch (machine) {
      case MACHINE_X86_64 -> x86_64(b);
      case MACHINE_AARCH64 -> aarch64(b);
      default -> OptionalInt.empty();
    };
  }

  /** [endbr64] [push rbp; mov rbp,rsp] mov eax,imm32 [pop rbp] ret */
  private static OptionalInt x86_64(ByteBuffer b) {
    int p = 0;
    if (matches(b, p, 0xf3, 0x0f, 0x1e, 0xfa)) {
      p += 4;
    }
    boolean frame = matches(b, p, 0x55, 0x48, 0x89, 0xe5);
    if (frame) {
      p += 4;
    }
    if (!matches(b, p, 0xb8) || b.limit() < p + 6) {
      return OptionalInt.empty();
    }
    int value = b.getInt(p + 1);
    p += 5;
    if (frame) {
      if (!matches(b, p, 0x5d)) {
        return OptionalInt.empty();
      }
      p++;
    }
    return matches(b, p, 0xc3) ? OptionalInt.of(value) : OptionalInt.empty();
  }

  /** [bti c | paciasp] movz w0,#imm16 ret */
  private static OptionalInt aarch64(ByteBuffer b) {
    int p = 0;
    if (b.limit() >= 4 && (b.getInt(0) == 0xd503245f || b.getInt(0) == 0xd503233f)) {
      p = 4;
    }
    if (b.limit() < p + 8) {
      return OptionalInt.empty();
    }
    int mov = b.getInt(p);
    if ((mov & 0xffe0001f) != 0x52800000 || b.getInt(p + 4) != 0xd65f03c0) { // movz w0, #imm, lsl #0; ret
      return OptionalInt.empty();
    }
    return OptionalInt.of((mov >>> 5) & 0xffff);
  }

  private static boolean matches(ByteBuffer b, int at, int... bytes) {
    if (b.limit() < at + bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((b.get(at + i) & 0xff) != bytes[i]) {
        return false;
      }
    }
    return true;
  }
}
