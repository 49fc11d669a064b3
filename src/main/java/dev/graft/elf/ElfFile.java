package dev.graft.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * What graft needs to know about one ELF file to predict what the dynamic loader will do with it.
 *
 * <p>Our own small reader rather than a library: the maintained Java ELF parser on Maven Central
 * ({@code net.fornwall:jelf} 0.9.0) reads no symbol versioning ({@code .gnu.version_r} /
 * {@code .gnu.version_d}) and maps whole files, trusting header sizes. This reader reads only the
 * header, program headers, the dynamic segment and what it points to (as the loader does, so
 * stripped section headers don't matter), with every size checked against the file.
 *
 * @param name the file's name for messages (path inside an image, or on disk)
 * @param bits 32 or 64
 * @param byteOrder little or big endian
 * @param osAbi {@code EI_OSABI}
 * @param type object type
 * @param machine {@code e_machine}; see {@link ElfMachine}
 * @param flags {@code e_flags} (for ARM: EABI version and float ABI)
 * @param interpreter {@code PT_INTERP}, the program loader's path, if any
 * @param hasDynamic whether a {@code PT_DYNAMIC} segment exists (false: fully static)
 * @param needed {@code DT_NEEDED} in file order
 * @param soname {@code DT_SONAME}
 * @param rpath {@code DT_RPATH} split at ':'
 * @param runpath {@code DT_RUNPATH} split at ':'
 * @param dynFlags {@code DT_FLAGS} (0 if absent)
 * @param flags1 {@code DT_FLAGS_1} (0 if absent)
 * @param versionNeeds (sorted by file name) per needed file ({@code vn_file}), the versions it must define ({@code GLIBC_2.34})
 * @param versionDefs versions this file defines, without the base (file name) definition
 * @param nodeSymbols Node addon entry points and imports
 */
public record ElfFile(
    String name,
    int bits,
    ByteOrder byteOrder,
    int osAbi,
    ElfType type,
    int machine,
    int flags,
    Optional<String> interpreter,
    boolean hasDynamic,
    List<String> needed,
    Optional<String> soname,
    List<String> rpath,
    List<String> runpath,
    long dynFlags,
    long flags1,
    Map<String, List<String>> versionNeeds,
    List<String> versionDefs,
    NodeSymbols nodeSymbols) {

  /** {@code EF_ARM_ABI_FLOAT_HARD}: the ARM EABI5 hard-float (armhf) calling convention. */
  public static final int EF_ARM_ABI_FLOAT_HARD = 0x400;
  /** {@code EF_ARM_ABI_FLOAT_SOFT}. */
  public static final int EF_ARM_ABI_FLOAT_SOFT = 0x200;
  /** {@code DF_1_NOW} in {@code DT_FLAGS_1}: bind every symbol at load (no lazy binding). */
  public static final long DF_1_NOW = 0x1L;
  /** {@code DF_BIND_NOW} in {@code DT_FLAGS}. */
  public static final long DF_BIND_NOW = 0x8L;
  /** {@code DF_1_PIE} in {@code DT_FLAGS_1}. */
  public static final long DF_1_PIE = 0x08000000L;

  public ElfFile {
    if (bits != 32 && bits != 64) {
      throw new IllegalArgumentException("bits must be 32 or 64: " + bits);
    }
    needed = List.copyOf(needed);
    rpath = List.copyOf(rpath);
    runpath = List.copyOf(runpath);
    TreeMap<String, List<String>> vn = new TreeMap<>();
    versionNeeds.forEach((k, v) -> vn.put(k, List.copyOf(v)));
    versionNeeds = Collections.unmodifiableSortedMap(vn);
    versionDefs = List.copyOf(versionDefs);
  }

  /** Parses an ELF file from a channel (which the caller closes). */
  public static ElfFile parse(SeekableByteChannel channel, String name) throws IOException {
    return new ElfParser(new BoundedReader(channel, name), name).parse();
  }

  public static ElfFile parse(byte[] bytes, String name) {
    try {
      return parse(new SeekableInMemoryByteChannel(bytes), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen in memory
    }
  }

  public static ElfFile parse(Path file) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      return parse(ch, file.toString());
    }
  }

  /** Whether the first bytes are the ELF magic; cheap test before parsing. */
  public static boolean hasElfMagic(byte[] head) {
    return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
  }

  public Optional<ElfMachine> knownMachine() {
    return ElfMachine.of(machine);
  }

  /** e.g. {@code x86_64}, {@code aarch64}, {@code machine 9999}. */
  public String machineName() {
    return ElfMachine.describe(machine);
  }

  /** Whether the loader binds every symbol at load time (DF_BIND_NOW or DF_1_NOW), not at first call. */
  public boolean bindNow() {
    return (dynFlags & DF_BIND_NOW) != 0 || (flags1 & DF_1_NOW) != 0;
  }

  /** For ARM: whether the file uses the hard-float ABI (armhf). */
  public boolean isArmHardFloat() {
    return machine == ElfMachine.ARM.code() && (flags & EF_ARM_ABI_FLOAT_HARD) != 0;
  }

  /** No interpreter and no dynamic section: the kernel runs it as is (Go's esbuild, busybox.static). */
  public boolean isStatic() {
    return interpreter.isEmpty() && !hasDynamic;
  }

  /** All versions needed from one file, e.g. {@code libc.so.6 → [GLIBC_2.2.5, GLIBC_2.34]}. */
  public List<String> versionsNeededFrom(String file) {
    return versionNeeds.getOrDefault(file, List.of());
  }

  /** A one-line description, like file(1) says it. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    parts.add(bits + "-bit");
    parts.add(byteOrder == ByteOrder.LITTLE_ENDIAN ? "LSB" : "MSB");
    parts.add(type.name().toLowerCase().replace('_', ' '));
    parts.add(machineName() + (machine == ElfMachine.ARM.code() ? (isArmHardFloat() ? " (hard-float)" : " (soft-float)") : ""));
    parts.add(interpreter.map(i -> "interpreter " + i).orElse(isStatic() ? "static" : "no interpreter"));
    return String.join(", ", parts);
  }
}
