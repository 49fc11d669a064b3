package dev.graft.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits a copy of a real binary so that it needs a symbol version its libraries lack, as if it
 * had been linked against a newer library: renames one version need (its name in .dynstr and
 * its ELF hash in .gnu.version_r, both of which glibc compares). Offsets come from readelf.
 */
public final class ElfPatch {
  private ElfPatch() {}

  /** Where .dynstr and one version section start, and readelf's listing of the versions. */
  private record Layout(long dynstr, long versionSection, String versions) {
    static Layout of(Path file, String from, String to, String section) {
      if (from.length() != to.length()) {
        throw new IllegalArgumentException("same length only: the string table is not rebuilt");
      }
      String sections = Tools.runOk(Duration.ofMinutes(1), "readelf", "-SW", file.toString()).stdout();
      return new Layout(sectionOffset(sections, ".dynstr"), sectionOffset(sections, section),
          Tools.runOk(Duration.ofMinutes(1), "readelf", "-VW", file.toString()).stdout());
    }
  }

  public static void renameVersionNeed(Path file, String from, String to) throws IOException {
    Layout elf = Layout.of(file, from, to, ".gnu.version_r");
    long dynstr = elf.dynstr();
    long verneed = elf.versionSection();
    String versions = elf.versions();
    String needs = versions.substring(versions.indexOf("Version needs section"));
    Matcher m = Pattern.compile("0x([0-9a-f]+):\\s+Name: " + Pattern.quote(from) + "\\s").matcher(needs);
    if (!m.find()) {
      throw new IllegalArgumentException(file + " needs no " + from);
    }
    long aux = verneed + Long.parseLong(m.group(1), 16);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      rename(raf, dynstr, aux + 8, aux, from, to); // vna_name, vna_hash
    }
  }

  /**
   * Renames one version a library defines (its name in .dynstr and its ELF hash in
   * .gnu.version_d), so programs needing it find it missing, as in an older build of the library.
   */
  public static void renameVersionDef(Path file, String from, String to) throws IOException {
    Layout elf = Layout.of(file, from, to, ".gnu.version_d");
    long dynstr = elf.dynstr();
    long verdef = elf.versionSection();
    String versions = elf.versions();
    int start = versions.indexOf("Version definition section");
    int end = versions.indexOf("Version needs section");
    String defs = versions.substring(start, end < start ? versions.length() : end);
    Matcher m = Pattern.compile("0x([0-9a-f]+):.*Name: " + Pattern.quote(from) + "\\s").matcher(defs);
    if (!m.find()) {
      throw new IllegalArgumentException(file + " defines no " + from);
    }
    long def = verdef + Long.parseLong(m.group(1), 16);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(def + 12); // vd_aux: offset of the first Verdaux, whose vda_name is the version's name
      long aux = def + Integer.toUnsignedLong(Integer.reverseBytes(raf.readInt()));
      rename(raf, dynstr, aux, def + 8, from, to); // vda_name, vd_hash
    }
  }

  /**
   * Overwrites the version name that the 32-bit LE string offset at {@code nameAt} points to in
   * .dynstr, after checking it is {@code from}, and writes the new name's ELF hash at {@code hashAt}.
   */
  private static void rename(RandomAccessFile raf, long dynstr, long nameAt, long hashAt, String from, String to)
      throws IOException {
    raf.seek(nameAt);
    long nameOff = Integer.toUnsignedLong(Integer.reverseBytes(raf.readInt()));
    raf.seek(dynstr + nameOff);
    byte[] old = new byte[from.length()];
    raf.readFully(old);
    if (!new String(old, StandardCharsets.US_ASCII).equals(from)) {
      throw new IllegalStateException("string table does not hold " + from + " where readelf says");
    }
    raf.seek(dynstr + nameOff);
    raf.write(to.getBytes(StandardCharsets.US_ASCII));
    raf.seek(hashAt);
    raf.writeInt(Integer.reverseBytes((int) elfHash(to)));
  }

  /** Turns a file's DT_RUNPATH into a DT_RPATH (same string), as older linkers wrote it. 64-bit LE only. */
  public static void runpathToRpath(Path file) throws IOException {
    String dyn = Tools.runOk(Duration.ofMinutes(1), "readelf", "-SW", file.toString()).stdout();
    long offset = sectionOffset(dyn, ".dynamic");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      for (long pos = offset; ; pos += 16) {
        raf.seek(pos);
        long tag = Long.reverseBytes(raf.readLong());
        if (tag == 0) {
          throw new IllegalArgumentException(file + " has no DT_RUNPATH");
        }
        if (tag == 29) {
          raf.seek(pos);
          raf.writeLong(Long.reverseBytes(15));
          return;
        }
      }
    }
  }

  private static long sectionOffset(String readelfS, String name) {
    Matcher m = Pattern.compile("\\]\\s+" + Pattern.quote(name) + "\\s+\\S+\\s+[0-9a-f]+\\s+([0-9a-f]+)").matcher(readelfS);
    if (!m.find()) {
      throw new IllegalArgumentException("no section " + name);
    }
    return Long.parseLong(m.group(1), 16);
  }

  /** The SysV ELF hash, which vna_hash holds. */
  public static long elfHash(String s) {
    long h = 0;
    for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
      h = (h << 4) + (b & 0xff);
      long g = h & 0xf0000000L;
      if (g != 0) {
        h ^= g >>> 24;
      }
      h &= ~g & 0xffffffffL;
    }
    return h;
  }
}
