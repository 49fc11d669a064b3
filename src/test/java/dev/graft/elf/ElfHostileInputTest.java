package dev.graft.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.testing.AlpineRootfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncated, corrupt and hostile files give a clear ElfFormatException naming the file, never OOM. */
class ElfHostileInputTest {
  private static final byte[] BUSYBOX = AlpineRootfs.file("3.18", "x86_64", "bin/busybox");
  private static final byte[] LIBSSL = AlpineRootfs.file("3.18", "x86_64", "lib/libssl.so.3");

  @Test
  void refusesFileWithoutElfMagic() {
    assertThatThrownBy(() -> ElfFile.parse("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8), "run.sh"))
        .isInstanceOf(ElfFormatException.class)
        .hasMessage("run.sh: not an ELF file (no \\x7fELF magic)");
    assertThatThrownBy(() -> ElfFile.parse(new byte[3], "tiny"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("tiny: not an ELF file (only 3 bytes)");
  }

  @Test
  void refusesTruncatedBinaryNamingWhatIsMissing() {
    byte[] cut = Arrays.copyOf(BUSYBOX, 4096);
    assertThatThrownBy(() -> ElfFile.parse(cut, "busybox"))
        .isInstanceOf(ElfFormatException.class)
        .hasMessageStartingWith("busybox: ")
        .hasMessageContaining("lies past the end of the file (4096 bytes)");
  }

  @Test
  void refusesHugeProgramHeaderCountWithoutAllocatingIt() {
    byte[] b = BUSYBOX.clone();
    le(b).putShort(56, (short) 0xffff); // e_phnum
    assertThatThrownBy(() -> ElfFile.parse(b, "busybox"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("65535 program headers");
  }

  @Test
  void refusesProgramHeaderOffsetPastEndOfFile() {
    byte[] b = BUSYBOX.clone();
    le(b).putLong(32, 0x7fff_ffff_ffff_0000L); // e_phoff
    assertThatThrownBy(() -> ElfFile.parse(b, "busybox"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("lies past the end of the file");
    le(b).putLong(32, -64L); // "negative" as a signed long
    assertThatThrownBy(() -> ElfFile.parse(b, "busybox")).isInstanceOf(ElfFormatException.class);
  }

  @Test
  void refusesGiantStringTableSize() {
    byte[] b = LIBSSL.clone();
    patchDynamic(b, 10 /* DT_STRSZ */, 0x7fff_ffff_ffffL);
    assertThatThrownBy(() -> ElfFile.parse(b, "libssl.so.3"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("dynamic string table");
  }

  @Test
  void refusesStringOffsetOutsideTheTable() {
    byte[] b = LIBSSL.clone();
    patchDynamic(b, 14 /* DT_SONAME */, 0x7fff_ffffL);
    assertThatThrownBy(() -> ElfFile.parse(b, "libssl.so.3"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("DT_SONAME string offset");
  }

  @Test
  void refusesAddressOutsideEveryLoadSegment() {
    byte[] b = LIBSSL.clone();
    patchDynamic(b, 5 /* DT_STRTAB */, 0x7fff_0000_0000L);
    assertThatThrownBy(() -> ElfFile.parse(b, "libssl.so.3"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("is not inside any PT_LOAD segment");
  }

  @Test
  void survivesRandomCorruptionWithOnlyElfFormatExceptions() {
    Random random = new Random(42); // fixed seed: the same corruptions every run
    int parsed = 0;
    for (int round = 0; round < 2000; round++) {
      byte[] b = (round % 2 == 0 ? BUSYBOX : LIBSSL).clone();
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        // the header, program headers and the start of the file hold what the reader follows
        int pos = random.nextInt(Math.min(b.length, round % 3 == 0 ? 65536 : 1024));
        b[pos] = (byte) random.nextInt(256);
      }
      try {
        ElfFile.parse(b, "fuzzed");
        parsed++;
      } catch (ElfFormatException e) {
        assertThat(e.getMessage()).startsWith("fuzzed: ");
      }
    }
    assertThat(parsed).isPositive(); // many corruptions hit bytes the reader ignores
  }

  @Test
  void survivesEveryTruncationWithOnlyElfFormatExceptions() {
    for (int len = 0; len < LIBSSL.length; len += 97) {
      byte[] cut = Arrays.copyOf(LIBSSL, len);
      try {
        ElfFile.parse(cut, "cut");
      } catch (ElfFormatException e) {
        assertThat(e.getMessage()).startsWith("cut: ");
      }
    }
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Overwrites the value of the first dynamic entry with {@code tag} in a 64-bit LE file. */
  private static void patchDynamic(byte[] b, long tag, long value) {
    ByteBuffer h = le(b);
    long phoff = h.getLong(32);
    int phentsize = h.getShort(54) & 0xffff;
    int phnum = h.getShort(56) & 0xffff;
    for (int i = 0; i < phnum; i++) {
      int ph = (int) phoff + i * phentsize;
      if (h.getInt(ph) == 2) { // PT_DYNAMIC
        int off = (int) h.getLong(ph + 8);
        for (int e = off; h.getLong(e) != 0; e += 16) {
          if (h.getLong(e) == tag) {
            h.putLong(e + 8, value);
            return;
          }
        }
      }
    }
    throw new AssertionError("no dynamic tag " + tag);
  }
}
