package dev.graft.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads the parts of an ELF file the dynamic loader reads: header, program headers, PT_INTERP,
 * PT_DYNAMIC, and through the dynamic section's addresses (mapped to file offsets by PT_LOAD)
 * the string table, symbol table and version structures. Section headers are not read: the
 * loader doesn't either, and stripped or hostile section tables then can't mislead us.
 */
final class ElfParser {
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final long DT_NULL = 0;
  private static final long DT_NEEDED = 1;
  private static final long DT_HASH = 4;
  private static final long DT_STRTAB = 5;
  private static final long DT_SYMTAB = 6;
  private static final long DT_STRSZ = 10;
  private static final long DT_SYMENT = 11;
  private static final long DT_SONAME = 14;
  private static final long DT_RPATH = 15;
  private static final long DT_RUNPATH = 29;
  private static final long DT_FLAGS = 30;
  private static final long DT_GNU_HASH = 0x6ffffef5L;
  private static final long DT_FLAGS_1 = 0x6ffffffbL;
  private static final long DT_VERDEF = 0x6ffffffcL;
  private static final long DT_VERDEFNUM = 0x6ffffffdL;
  private static final long DT_VERNEED = 0x6ffffffeL;
  private static final long DT_VERNEEDNUM = 0x6fffffffL;
  private static final long DT_VERSYM = 0x6ffffff0L;
  /** Bounds on linked-list walks, far above any real file, so a cycle ends with an error. */
  private static final int MAX_VERSION_ENTRIES = 10_000;
  private static final int MAX_SYMBOLS = 4_000_000;

  private final BoundedReader in;
  private final String name;
  private boolean is64;
  private int machine;
  private final List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}

  /** When set, every global dynamic symbol is collected (for symbol resolution checks). */
  private final boolean collectAll;
  private final java.util.Set<String> allDefined = new java.util.HashSet<>();
  private final java.util.Set<String> allUndefinedStrong = new TreeSet<>();
  /** Version index (DT_VERSYM values: vd_ndx of DT_VERDEF, vna_other of DT_VERNEED) → version name. */
  private final Map<Integer, String> versionNames = new java.util.HashMap<>();
  private long versym = -1;
  private final Map<String, String> undefinedVersions = new java.util.HashMap<>();
  private final Map<String, List<DynamicSymbols.Definition>> versionedDefinitions = new java.util.HashMap<>();

  ElfParser(BoundedReader in, String name) {
    this(in, name, false);
  }

  ElfParser(BoundedReader in, String name, boolean collectAll) {
    this.in = in;
    this.name = name;
    this.collectAll = collectAll;
  }

  /** Parses and returns every global dynamic symbol: defined names and undefined non-weak ones. */
  DynamicSymbols symbols() throws IOException {
    parse();
    return new DynamicSymbols(allDefined, List.copyOf(allUndefinedStrong), versym >= 0, versionedDefinitions,
        undefinedVersions);
  }

  ElfFile parse() throws IOException {
    if (in.size() < 16) {
      throw in.fail("not an ELF file (only " + in.size() + " bytes)");
    }
    ByteBuffer ident = in.read(0, 16, "ELF identification");
    if (ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
      throw in.fail("not an ELF file (no \\x7fELF magic)");
    }
    int cls = ident.get(4);
    if (cls != 1 && cls != 2) {
      throw in.fail("unknown ELF class " + cls + " (expected 1 for 32-bit or 2 for 64-bit)");
    }
    is64 = cls == 2;
    int data = ident.get(5);
    if (data != 1 && data != 2) {
      throw in.fail("unknown ELF data encoding " + data + " (expected 1 little or 2 big endian)");
    }
    ByteOrder order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    in.order(order);
    int osAbi = ident.get(7) & 0xff;

    ByteBuffer h = in.read(0, is64 ? 64 : 52, "ELF header");
    int type = u16(h, 16);
    int machine = u16(h, 18);
    this.machine = machine;
    long phoff = is64 ? h.getLong(32) : u32(h, 28);
    int flags = h.getInt(is64 ? 48 : 36);
    int phentsize = u16(h, is64 ? 54 : 42);
    int phnum = u16(h, is64 ? 56 : 44);
    int minPhent = is64 ? 56 : 32;
    if (phnum > 0 && phentsize < minPhent) {
      throw in.fail("program header entry size " + phentsize + " is smaller than " + minPhent);
    }

    Optional<String> interp = Optional.empty();
    long dynOffset = -1;
    long dynSize = 0;
    if (phnum > 0) {
      ByteBuffer ph = in.read(phoff, (long) phnum * phentsize, phnum + " program headers");
      for (int i = 0; i < phnum; i++) {
        int base = i * phentsize;
        int pType = ph.getInt(base);
        long pOffset = is64 ? ph.getLong(base + 8) : u32(ph, base + 4);
        long pVaddr = is64 ? ph.getLong(base + 16) : u32(ph, base + 8);
        long pFilesz = is64 ? ph.getLong(base + 32) : u32(ph, base + 16);
        switch (pType) {
          case PT_LOAD -> loads.add(new long[] {pVaddr, pOffset, pFilesz});
          case PT_INTERP -> interp = Optional.of(interpreter(pOffset, pFilesz));
          case PT_DYNAMIC -> {
            dynOffset = pOffset;
            dynSize = pFilesz;
          }
          default -> { }
        }
      }
    }

    Dynamic d = dynOffset < 0 ? new Dynamic() : readDynamic(dynOffset, dynSize);
    return new ElfFile(name, is64 ? 64 : 32, order, osAbi, ElfType.of(type), machine, flags, interp,
        dynOffset >= 0, d.needed, d.soname, d.rpath, d.runpath, d.dynFlags, d.flags1, d.versionNeeds, d.versionDefs,
        d.nodeSymbols);
  }

  private String interpreter(long offset, long size) throws IOException {
    if (size > 4096) {
      throw in.fail("PT_INTERP is " + size + " bytes, longer than any path");
    }
    ByteBuffer b = in.read(offset, size, "PT_INTERP");
    int len = 0;
    while (len < b.limit() && b.get(len) != 0) {
      len++;
    }
    return new String(b.array(), 0, len, StandardCharsets.UTF_8);
  }

  /** The dynamic section's results. */
  private static final class Dynamic {
    List<String> needed = new ArrayList<>();
    Optional<String> soname = Optional.empty();
    List<String> rpath = List.of();
    List<String> runpath = List.of();
    long flags1;
    long dynFlags;
    Map<String, List<String>> versionNeeds = new LinkedHashMap<>();
    List<String> versionDefs = new ArrayList<>();
    NodeSymbols nodeSymbols = NodeSymbols.NONE;
  }

  private Dynamic readDynamic(long offset, long size) throws IOException {
    int entSize = is64 ? 16 : 8;
    ByteBuffer dyn = in.read(offset, size - size % entSize, "dynamic segment");
    List<Long> neededOffsets = new ArrayList<>();
    long strtab = -1, strsz = -1, symtab = -1, syment = is64 ? 24 : 16, hash = -1, gnuHash = -1;
    long soname = -1, rpath = -1, runpath = -1, verneed = -1, verneednum = 0, verdef = -1, verdefnum = 0;
    Dynamic d = new Dynamic();
    for (int pos = 0; pos + entSize <= dyn.limit(); pos += entSize) {
      long tag = is64 ? dyn.getLong(pos) : dyn.getInt(pos);
      long val = is64 ? dyn.getLong(pos + 8) : u32(dyn, pos + 4);
      if (tag == DT_NULL) {
        break;
      }
      if (tag == DT_NEEDED) {
        neededOffsets.add(val);
      } else if (tag == DT_STRTAB) {
        strtab = val;
      } else if (tag == DT_STRSZ) {
        strsz = val;
      } else if (tag == DT_SYMTAB) {
        symtab = val;
      } else if (tag == DT_SYMENT) {
        syment = val;
      } else if (tag == DT_HASH) {
        hash = val;
      } else if (tag == DT_GNU_HASH) {
        gnuHash = val;
      } else if (tag == DT_SONAME) {
        soname = val;
      } else if (tag == DT_RPATH) {
        rpath = val;
      } else if (tag == DT_RUNPATH) {
        runpath = val;
      } else if (tag == DT_FLAGS) {
        d.dynFlags = val;
      } else if (tag == DT_FLAGS_1) {
        d.flags1 = val;
      } else if (tag == DT_VERNEED) {
        verneed = val;
      } else if (tag == DT_VERNEEDNUM) {
        verneednum = val;
      } else if (tag == DT_VERDEF) {
        verdef = val;
      } else if (tag == DT_VERDEFNUM) {
        verdefnum = val;
      } else if (tag == DT_VERSYM) {
        versym = val;
      }
    }
    if (strtab < 0) {
      if (!neededOffsets.isEmpty() || soname >= 0) {
        throw in.fail("dynamic section has DT_NEEDED/DT_SONAME but no DT_STRTAB");
      }
      return d;
    }
    if (strsz < 0) {
      throw in.fail("dynamic section has DT_STRTAB but no DT_STRSZ");
    }
    StringTable strings = new StringTable(in.read(fileOffset(strtab, strsz, "DT_STRTAB"), strsz, "dynamic string table"));
    for (long off : neededOffsets) {
      d.needed.add(strings.get(off, "DT_NEEDED"));
    }
    if (soname >= 0) {
      d.soname = Optional.of(strings.get(soname, "DT_SONAME"));
    }
    if (rpath >= 0) {
      d.rpath = splitPath(strings.get(rpath, "DT_RPATH"));
    }
    if (runpath >= 0) {
      d.runpath = splitPath(strings.get(runpath, "DT_RUNPATH"));
    }
    if (verneed >= 0) {
      readVersionNeeds(verneed, verneednum, strings, d.versionNeeds);
    }
    if (verdef >= 0) {
      readVersionDefs(verdef, verdefnum, strings, d.versionDefs);
    }
    if (symtab >= 0) {
      long count = symbolCount(hash, gnuHash);
      if (count > 0) {
        d.nodeSymbols = readNodeSymbols(symtab, syment, count, strings);
      }
    }
    return d;
  }

  private static List<String> splitPath(String s) {
    List<String> out = new ArrayList<>();
    for (String p : s.split(":", -1)) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  private void readVersionNeeds(long vaddr, long count, StringTable strings, Map<String, List<String>> out)
      throws IOException {
    if (count > MAX_VERSION_ENTRIES) {
      throw in.fail("DT_VERNEEDNUM " + count + " is implausibly large");
    }
    long pos = fileOffset(vaddr, 16, "DT_VERNEED");
    int auxSeen = 0;
    for (long i = 0; i < count; i++) {
      ByteBuffer vn = in.read(pos, 16, "version need entry " + i);
      int cnt = u16(vn, 2);
      String file = strings.get(u32(vn, 4), "vn_file");
      long aux = u32(vn, 8);
      long next = u32(vn, 12);
      List<String> versions = out.computeIfAbsent(file, k -> new ArrayList<>());
      long auxPos = pos + aux;
      for (int j = 0; j < cnt; j++) {
        if (++auxSeen > MAX_VERSION_ENTRIES) {
          throw in.fail("more than " + MAX_VERSION_ENTRIES + " version need entries: corrupt ELF file");
        }
        ByteBuffer va = in.read(auxPos, 16, "version need aux entry of " + file);
        String v = strings.get(u32(va, 8), "vna_name");
        versionNames.put(u16(va, 6) & 0x7fff, v);
        if (!versions.contains(v)) {
          versions.add(v);
        }
        long vnaNext = u32(va, 12);
        if (vnaNext == 0) {
          break;
        }
        auxPos += vnaNext;
      }
      if (next == 0) {
        break;
      }
      pos += next;
    }
  }

  private void readVersionDefs(long vaddr, long count, StringTable strings, List<String> out) throws IOException {
    if (count > MAX_VERSION_ENTRIES) {
      throw in.fail("DT_VERDEFNUM " + count + " is implausibly large");
    }
    long pos = fileOffset(vaddr, 20, "DT_VERDEF");
    for (long i = 0; i < count; i++) {
      ByteBuffer vd = in.read(pos, 20, "version definition " + i);
      int vdFlags = u16(vd, 2);
      int cnt = u16(vd, 6);
      long aux = u32(vd, 12);
      long next = u32(vd, 16);
      boolean isBase = (vdFlags & 1) != 0; // VER_FLG_BASE names the file itself, not a version
      if (cnt > 0 && !isBase) {
        ByteBuffer va = in.read(pos + aux, 8, "version definition aux entry");
        String v = strings.get(u32(va, 0), "vda_name");
        versionNames.put(u16(vd, 4) & 0x7fff, v);
        if (!out.contains(v)) {
          out.add(v);
        }
      }
      if (next == 0) {
        break;
      }
      pos += next;
    }
  }

  /**
   * The number of dynamic symbols: DT_HASH's nchain, or for DT_GNU_HASH one past the highest
   * symbol any bucket's chain reaches (the format stores no count).
   */
  private long symbolCount(long hash, long gnuHash) throws IOException {
    if (hash >= 0) {
      return u32(in.read(fileOffset(hash, 8, "DT_HASH"), 8, "DT_HASH header"), 4);
    }
    if (gnuHash < 0) {
      return 0;
    }
    long off = fileOffset(gnuHash, 16, "DT_GNU_HASH");
    ByteBuffer hdr = in.read(off, 16, "DT_GNU_HASH header");
    long nbuckets = u32(hdr, 0);
    long symoffset = u32(hdr, 4);
    long bloomSize = u32(hdr, 8);
    long bucketsOff = off + 16 + bloomSize * (is64 ? 8 : 4);
    ByteBuffer buckets = in.read(bucketsOff, nbuckets * 4, "DT_GNU_HASH buckets");
    long max = 0;
    for (int i = 0; i < nbuckets; i++) {
      max = Math.max(max, u32(buckets, i * 4));
    }
    if (max < symoffset) {
      return symoffset;
    }
    long chainOff = bucketsOff + nbuckets * 4 + (max - symoffset) * 4;
    long n = max;
    while (n < MAX_SYMBOLS) { // read the last chain in chunks: one read per entry would be slow
      long len = Math.min(4096, (in.size() - chainOff) & ~3L);
      if (len <= 0) {
        break;
      }
      ByteBuffer chunk = in.read(chainOff, len, "DT_GNU_HASH chain");
      for (int i = 0; i < len; i += 4, n++) {
        if ((u32(chunk, i) & 1) != 0) {
          return n + 1;
        }
      }
      chainOff += len;
    }
    throw in.fail("DT_GNU_HASH chain never ends");
  }

  private NodeSymbols readNodeSymbols(long symtab, long syment, long count, StringTable strings) throws IOException {
    long min = is64 ? 24 : 16;
    if (syment < min || syment > 256) {
      throw in.fail("DT_SYMENT " + syment + " is not a symbol entry size");
    }
    if (count > MAX_SYMBOLS) {
      throw in.fail("dynamic symbol count " + count + " is implausibly large");
    }
    ByteBuffer syms = in.read(fileOffset(symtab, count * syment, "DT_SYMTAB"), count * syment, "dynamic symbol table");
    ByteBuffer versions = collectAll && versym >= 0
        ? in.read(fileOffset(versym, count * 2, "DT_VERSYM"), count * 2, "symbol version table") : null;
    TreeSet<String> entries = new TreeSet<>();
    TreeSet<String> imported = new TreeSet<>();
    TreeSet<String> exported = new TreeSet<>();
    boolean internals = false;
    long apiVersionFunction = -1;
    for (int i = 1; i < count; i++) { // symbol 0 is the null symbol
      int base = (int) (i * syment);
      long nameOff = u32(syms, base);
      int info = syms.get(base + (is64 ? 4 : 12)) & 0xff;
      int shndx = u16(syms, base + (is64 ? 6 : 14));
      int bind = info >>> 4;
      if (bind != 1 && bind != 2 && bind != 10) { // GLOBAL, WEAK, GNU_UNIQUE link across files
        continue;
      }
      if (!collectAll && !strings.mayNameNode(nameOff, shndx == 0)) {
        continue; // not a name NodeSymbols records: not decoded (node 22 has 90,184 dynamic symbols)
      }
      String n = strings.get(nameOff, "symbol name");
      if (collectAll) {
        int ndx = versions == null ? 1 : u16(versions, i * 2);
        String version = versionNames.get(ndx & 0x7fff); // null for 0 (local) and 1 (global, unversioned)
        if (shndx != 0) {
          allDefined.add(n);
          if (version != null) {
            versionedDefinitions.computeIfAbsent(n, k -> new ArrayList<>(1))
                .add(new DynamicSymbols.Definition(version, (ndx & 0x8000) != 0));
          }
        } else if (bind == 1) { // an undefined WEAK symbol may stay unresolved
          allUndefinedStrong.add(n);
          if (version != null) {
            undefinedVersions.put(n, version);
          }
        }
      }
      if (NodeSymbols.isEntryPoint(n)) {
        if (shndx != 0) {
          entries.add(n);
          if (n.equals(NodeSymbols.GET_API_VERSION)) {
            apiVersionFunction = is64 ? syms.getLong(base + 8) : u32(syms, base + 4);
          }
        }
      } else if (NodeSymbols.isNodeApi(n)) {
        (shndx == 0 ? imported : exported).add(n);
      } else if (shndx == 0) {
        internals |= n.startsWith("_ZN2v8") || n.startsWith("_ZN4node") || n.equals("node_module_register");
      }
    }
    return new NodeSymbols(List.copyOf(entries), List.copyOf(imported), List.copyOf(exported), internals,
        apiVersionFunction < 0 ? -1 : declaredApiVersion(apiVersionFunction));
  }

  /** What {@code node_api_module_get_api_version_v1} returns, when its code is a recognisable constant; else -1. */
  private int declaredApiVersion(long address) throws IOException {
    long vaddr = address;
    for (long[] l : loads) {
      if (Long.compareUnsigned(vaddr, l[0]) >= 0 && Long.compareUnsigned(vaddr - l[0], l[2]) < 0) {
        long len = Math.min(32, l[2] - (vaddr - l[0]));
        ByteBuffer code = in.read(l[1] + (vaddr - l[0]), len, "node_api_module_get_api_version_v1's code");
        java.util.OptionalInt v = ReturnedConstant.decode(machine, code);
        return v.isPresent() && v.getAsInt() > 0 ? v.getAsInt() : -1;
      }
    }
    return -1;
  }

  /** Maps a virtual address (of a structure of {@code len} bytes) to a file offset through PT_LOAD. */
  private long fileOffset(long vaddr, long len, String what) {
    for (long[] l : loads) {
      long start = l[0];
      long filesz = l[2];
      if (Long.compareUnsigned(vaddr, start) >= 0 && Long.compareUnsigned(vaddr - start, filesz) < 0) {
        return l[1] + (vaddr - start);
      }
    }
    throw in.fail(what + " address 0x" + Long.toHexString(vaddr) + " is not inside any PT_LOAD segment");
  }

  private static int u16(ByteBuffer b, int pos) {
    return b.getShort(pos) & 0xffff;
  }

  private static long u32(ByteBuffer b, int pos) {
    return b.getInt(pos) & 0xffffffffL;
  }

  /** A string table read once; lookups are bounded by its size. */
  private final class StringTable {
    private static final byte[] NAPI = "napi_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NODE = "node_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V8 = "_ZN2v8".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NODE_CXX = "_ZN4node".getBytes(StandardCharsets.US_ASCII);

    private final ByteBuffer buf;
    /** Where the table's unterminated tail starts (its size when it ends with NUL): a name there is refused. */
    private final int unterminatedFrom;

    StringTable(ByteBuffer buf) {
      this.buf = buf;
      int last = buf.limit() - 1;
      while (last >= 0 && buf.get(last) != 0) {
        last--;
      }
      this.unterminatedFrom = last + 1;
    }

    /**
     * Whether the name at {@code offset} may be one {@link NodeSymbols} records ({@code napi_*},
     * {@code node_*}, and for an undefined symbol V8's and node's C++ names), judged on its bytes
     * without decoding it; a name that would be refused (outside the table, unterminated) says yes,
     * so {@link #get} refuses it as before.
     */
    boolean mayNameNode(long offset, boolean undefined) {
      if (offset < 0 || offset >= unterminatedFrom) {
        return true;
      }
      int at = (int) offset;
      return startsWith(at, NAPI) || startsWith(at, NODE)
          || undefined && (startsWith(at, V8) || startsWith(at, NODE_CXX));
    }

    private boolean startsWith(int at, byte[] prefix) {
      if (at + prefix.length > buf.limit()) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (buf.get(at + i) != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    String get(long offset, String what) {
      if (offset < 0 || offset >= buf.limit()) {
        throw in.fail(what + " string offset " + offset + " is outside the string table (" + buf.limit() + " bytes)");
      }
      int start = (int) offset;
      int end = start;
      while (end < buf.limit() && buf.get(end) != 0) {
        end++;
      }
      if (end == buf.limit()) {
        throw in.fail(what + " string at offset " + offset + " is not NUL-terminated");
      }
      return new String(buf.array(), start, end - start, StandardCharsets.UTF_8);
    }
  }
}
