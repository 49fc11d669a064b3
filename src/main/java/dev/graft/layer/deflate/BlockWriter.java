package dev.graft.layer.deflate;

import static dev.graft.layer.deflate.Symbols.CODELEN_CODES;
import static dev.graft.layer.deflate.Symbols.CODELEN_ORDER;
import static dev.graft.layer.deflate.Symbols.DIST_BASE;
import static dev.graft.layer.deflate.Symbols.DIST_CODES;
import static dev.graft.layer.deflate.Symbols.DIST_EXTRA;
import static dev.graft.layer.deflate.Symbols.END_OF_BLOCK;
import static dev.graft.layer.deflate.Symbols.LENGTH_BASE;
import static dev.graft.layer.deflate.Symbols.LENGTH_CODE;
import static dev.graft.layer.deflate.Symbols.LENGTH_EXTRA;
import static dev.graft.layer.deflate.Symbols.LITLEN_CODES;

/**
 * Writes a run of symbols as deflate blocks: split where the symbol statistics change, each block
 * in whichever form is smallest — dynamic Huffman, fixed Huffman or stored. Sizes are computed
 * (integers only) before anything is written, so every choice is a pure function of the symbols.
 *
 * <p>A symbol is an int: a literal byte (0..255), or a match as {@code length << 16 | distance}.
 */
final class BlockWriter {
  private static final int MAX_STORED = 65535;
  /** Smallest run of symbols the splitter considers as a block of its own. */
  private static final int SEGMENT = 1024;
  private static final int ALPHABET = LITLEN_CODES + DIST_CODES;
  /** A typical dynamic header, in bits, for comparing split and unsplit costs. */
  private static final long HEADER_ESTIMATE = 800;
  /** Extra bits of each code-length symbol: 2, 3 and 7 for the repeat codes 16, 17 and 18. */
  private static final int[] CODELEN_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7};

  final BitOutput out = new BitOutput();
  private int[] segmentFreq = new int[0];
  private int[] segmentRaw = new int[0];
  private final int[] whole = new int[ALPHABET];
  private final int[] left = new int[ALPHABET];
  private final int[] right = new int[ALPHABET];
  private final int[] litFreq = new int[LITLEN_CODES];
  private final int[] distFreq = new int[DIST_CODES];
  private final int[] litLen = new int[LITLEN_CODES];
  private final int[] litCode = new int[LITLEN_CODES];
  private final int[] distLen = new int[DIST_CODES];
  private final int[] distCode = new int[DIST_CODES];
  private final int[] clFreq = new int[CODELEN_CODES];
  private final int[] clLen = new int[CODELEN_CODES];
  private final int[] clCode = new int[CODELEN_CODES];
  private final int[] lengthsSeq = new int[LITLEN_CODES + DIST_CODES];
  private final int[] rle = new int[LITLEN_CODES + DIST_CODES];

  /**
   * Writes {@code syms[0..nsyms)}, the encoding of {@code raw[rawOff..)}, as one or more blocks:
   * the run is cut into segments of {@link #SEGMENT} symbols, and a range of segments is halved
   * (recursively) when the two halves, each with its own Huffman code, cost fewer bits than the
   * whole, so block boundaries fall where the data's statistics change.
   */
  void write(int[] syms, int nsyms, byte[] raw, int rawOff, boolean last) {
    int segments = Math.max(1, (nsyms + SEGMENT - 1) / SEGMENT);
    if (segmentFreq.length < segments * ALPHABET) {
      segmentFreq = new int[segments * ALPHABET];
      segmentRaw = new int[segments];
    }
    java.util.Arrays.fill(segmentFreq, 0, segments * ALPHABET, 0);
    for (int g = 0; g < segments; g++) {
      int from = g * SEGMENT;
      segmentRaw[g] = count(syms, from, Math.min(from + SEGMENT, nsyms), segmentFreq, g * ALPHABET);
    }
    split(syms, nsyms, 0, segments, raw, rawOff, last, segments > 1 ? cost(sum(0, segments, whole)) : 0);
  }

  private void split(int[] syms, int nsyms, int a, int b, byte[] raw, int rawOff, boolean last, long wholeCost) {
    if (b - a >= 2) {
      int mid = (a + b) >>> 1;
      long leftCost = cost(sum(a, mid, left));
      long rightCost = cost(sum(mid, b, right));
      if (leftCost + rightCost < wholeCost) {
        split(syms, nsyms, a, mid, raw, rawOff, false, leftCost);
        int leftRaw = 0;
        for (int g = a; g < mid; g++) {
          leftRaw += segmentRaw[g];
        }
        split(syms, nsyms, mid, b, raw, rawOff + leftRaw, last, rightCost);
        return;
      }
    }
    sum(a, b, whole);
    int rawLen = 0;
    for (int g = a; g < b; g++) {
      rawLen += segmentRaw[g];
    }
    System.arraycopy(whole, 0, litFreq, 0, LITLEN_CODES);
    System.arraycopy(whole, LITLEN_CODES, distFreq, 0, DIST_CODES);
    writeBlock(syms, a * SEGMENT, Math.min(b * SEGMENT, nsyms), raw, rawOff, rawLen, last);
  }

  /** Frequencies of segments [a, b) added up into {@code into}. */
  private int[] sum(int a, int b, int[] into) {
    System.arraycopy(segmentFreq, a * ALPHABET, into, 0, ALPHABET);
    for (int g = a + 1; g < b; g++) {
      int base = g * ALPHABET;
      for (int i = 0; i < ALPHABET; i++) {
        into[i] += segmentFreq[base + i];
      }
    }
    return into;
  }

  /**
   * Adds the frequencies of syms[from..to) to {@code freq[base..)} (literal/length codes, then
   * distance codes); returns the input length they cover.
   */
  private static int count(int[] syms, int from, int to, int[] freq, int base) {
    int raw = 0;
    for (int i = from; i < to; i++) {
      int s = syms[i];
      if (s < 256) {
        freq[base + s]++;
        raw++;
      } else {
        int len = s >>> 16;
        freq[base + 257 + LENGTH_CODE[len]]++;
        freq[base + LITLEN_CODES + Symbols.distCode(s & 0xFFFF)]++;
        raw += len;
      }
    }
    return raw;
  }

  /** Estimated bits of a dynamic block for these frequencies: symbols, extra bits, a header guess. */
  private long cost(int[] freq) {
    System.arraycopy(freq, 0, litFreq, 0, LITLEN_CODES);
    System.arraycopy(freq, LITLEN_CODES, distFreq, 0, DIST_CODES);
    litFreq[END_OF_BLOCK] = 1;
    Huffman.lengths(litFreq, LITLEN_CODES, 15, litLen);
    Huffman.lengths(distFreq, DIST_CODES, 15, distLen);
    return HEADER_ESTIMATE + symbolBits(litLen, distLen) + extraBits();
  }

  /*
   * The JIT shapes the rest of this class (issue #20: C2 compiled writeBlock up to seven times per
   * cold build, each time with writeSymbols and BitOutput inlined). writeBlock and cost hold no
   * loop, so the JIT never compiles them on-stack for a long-running loop (OSR), which the
   * launcher's raised Tier4 thresholds made the only way they reached C2, each OSR followed by a
   * full compile; every loop is a small method of its own, compiled once. The loops over the
   * alphabets take no branch on a symbol's kind (literal or length, used or not): a term of a
   * zero frequency adds zero, and a branch taken by no early block made C2 trap and recompile
   * (profile_predicate, unstable_if) when a later block took it.
   */

  /** Bits of the symbols of litFreq and distFreq coded with these lengths, extra bits apart. */
  private long symbolBits(int[] ll, int[] dl) {
    long bits = 0;
    for (int s = 0; s < LITLEN_CODES; s++) {
      bits += (long) litFreq[s] * ll[s];
    }
    for (int d = 0; d < DIST_CODES; d++) {
      bits += (long) distFreq[d] * dl[d];
    }
    return bits;
  }

  /** Extra bits of the length and distance codes of litFreq and distFreq. */
  private long extraBits() {
    long bits = 0;
    for (int c = 0; c < LENGTH_EXTRA.length; c++) {
      bits += (long) litFreq[257 + c] * LENGTH_EXTRA[c];
    }
    for (int d = 0; d < DIST_CODES; d++) {
      bits += (long) distFreq[d] * DIST_EXTRA[d];
    }
    return bits;
  }

  /** Writes syms[from..to) as one block; litFreq and distFreq hold their frequencies. */
  private void writeBlock(int[] syms, int from, int to, byte[] raw, int rawOff, int rawLen, boolean last) {
    litFreq[END_OF_BLOCK] = 1;
    Huffman.lengths(litFreq, LITLEN_CODES, 15, litLen);
    Huffman.lengths(distFreq, DIST_CODES, 15, distLen);
    int hlit = Math.max(257, usedLength(litLen, LITLEN_CODES));
    int hdist = Math.max(1, usedLength(distLen, DIST_CODES));
    int nrle = runLengths(hlit, hdist);
    int hclen = codeLengthCode(nrle);

    long extra = extraBits();
    long dynamicBits = 3 + 5 + 5 + 4 + 3L * hclen + headerBits(nrle) + symbolBits(litLen, distLen) + extra;
    long fixedBits = 3 + symbolBits(Symbols.FIXED_LITLEN_LENGTHS, Symbols.FIXED_DIST_LENGTHS) + extra;
    int storedBlocks = Math.max(1, (rawLen + MAX_STORED - 1) / MAX_STORED);
    long storedBits = ((8 - (out.bitOffset() + 3) % 8) % 8) + 3 + 32 + 40L * (storedBlocks - 1)
        + 8L * rawLen;

    int bfinal = last ? 1 : 0;
    if (storedBits <= dynamicBits && storedBits <= fixedBits) {
      out.ensure(storedBits + 64);
      writeStored(raw, rawOff, rawLen, bfinal);
    } else if (fixedBits <= dynamicBits) {
      out.ensure(fixedBits + 64);
      out.put(bfinal | (1 << 1), 3);
      writeSymbols(syms, from, to, Symbols.FIXED_LITLEN_CODES, Symbols.FIXED_LITLEN_LENGTHS,
          Symbols.FIXED_DIST_CODES, Symbols.FIXED_DIST_LENGTHS);
    } else {
      out.ensure(dynamicBits + 64);
      out.put(bfinal | (2 << 1), 3);
      out.put(hlit - 257, 5);
      out.put(hdist - 1, 5);
      out.put(hclen - 4, 4);
      writeHeader(hclen, nrle);
      Huffman.codes(litLen, LITLEN_CODES, litCode);
      Huffman.codes(distLen, DIST_CODES, distCode);
      writeSymbols(syms, from, to, litCode, litLen, distCode, distLen);
    }
  }

  /** Number of codes up to and including the last one with a length (0 when none has). */
  private static int usedLength(int[] lengths, int n) {
    int used = n;
    while (used > 0 && lengths[used - 1] == 0) {
      used--;
    }
    return used;
  }

  /**
   * The code-length code of {@code rle[0..nrle)} into clLen; returns how many of its lengths the
   * header sends (HCLEN + 4: the trailing zeros in {@link Symbols#CODELEN_ORDER} are left out).
   */
  private int codeLengthCode(int nrle) {
    java.util.Arrays.fill(clFreq, 0);
    for (int i = 0; i < nrle; i++) {
      clFreq[rle[i] & 0x1F]++;
    }
    Huffman.lengths(clFreq, CODELEN_CODES, 7, clLen);
    int hclen = CODELEN_CODES;
    while (hclen > 4 && clLen[CODELEN_ORDER[hclen - 1]] == 0) {
      hclen--;
    }
    return hclen;
  }

  /** Bits of the run-length coded code lengths {@code rle[0..nrle)}, with their extra bits. */
  private long headerBits(int nrle) {
    long bits = 0;
    for (int i = 0; i < nrle; i++) {
      int sym = rle[i] & 0x1F;
      bits += clLen[sym] + CODELEN_EXTRA[sym];
    }
    return bits;
  }

  /** A dynamic block's code-length code and run-length coded code lengths (after HCLEN). */
  private void writeHeader(int hclen, int nrle) {
    for (int i = 0; i < hclen; i++) {
      out.put(clLen[CODELEN_ORDER[i]], 3);
    }
    Huffman.codes(clLen, CODELEN_CODES, clCode);
    for (int i = 0; i < nrle; i++) {
      int sym = rle[i] & 0x1F;
      // the run length's extra bits (none below 16: the entry's upper bits are then 0)
      out.put(clCode[sym] | (rle[i] >>> 5) << clLen[sym], clLen[sym] + CODELEN_EXTRA[sym]);
    }
  }

  /** An empty stored block that leaves the stream byte-aligned: zlib's Z_SYNC_FLUSH marker. */
  void syncFlush() {
    out.ensure(64);
    writeStored(null, 0, 0, 0);
  }

  private void writeStored(byte[] raw, int off, int len, int bfinal) {
    do {
      int n = Math.min(len, MAX_STORED);
      len -= n;
      out.put(len == 0 ? bfinal : 0, 3);
      out.align();
      out.put(n | (~n << 16), 32);
      out.align();
      if (n > 0) {
        out.bytes(raw, off, n);
      }
      off += n;
    } while (len > 0);
  }

  private void writeSymbols(int[] syms, int from, int to, int[] lc, int[] ll, int[] dc, int[] dl) {
    BitOutput o = out;
    for (int i = from; i < to; i++) {
      int s = syms[i];
      if (s < 256) {
        o.put(lc[s], ll[s]);
      } else {
        int len = s >>> 16;
        int dist = s & 0xFFFF;
        int c = LENGTH_CODE[len];
        int sym = 257 + c;
        o.put(lc[sym] | ((len - LENGTH_BASE[c]) << ll[sym]), ll[sym] + LENGTH_EXTRA[c]);
        int d = Symbols.distCode(dist);
        o.put(dc[d] | ((dist - DIST_BASE[d]) << dl[d]), dl[d] + DIST_EXTRA[d]);
      }
    }
    o.put(lc[END_OF_BLOCK], ll[END_OF_BLOCK]);
  }

  /**
   * Run-length codes of the literal/length then distance code lengths, as one sequence (RFC 1951
   * allows runs across the boundary). Each entry is {@code symbol | extraBitsValue << 5}.
   */
  private int runLengths(int hlit, int hdist) {
    System.arraycopy(litLen, 0, lengthsSeq, 0, hlit);
    System.arraycopy(distLen, 0, lengthsSeq, hlit, hdist);
    int n = hlit + hdist;
    int k = 0;
    for (int i = 0; i < n; ) {
      int v = lengthsSeq[i];
      int run = 1;
      while (i + run < n && lengthsSeq[i + run] == v) {
        run++;
      }
      i += run;
      if (v == 0) {
        while (run >= 11) {
          int r = Math.min(run, 138);
          rle[k++] = 18 | ((r - 11) << 5);
          run -= r;
        }
        if (run >= 3) {
          rle[k++] = 17 | ((run - 3) << 5);
          run = 0;
        }
      } else {
        rle[k++] = v;
        run--;
        while (run >= 3) {
          int r = Math.min(run, 6);
          rle[k++] = 16 | ((r - 3) << 5);
          run -= r;
        }
      }
      while (run-- > 0) {
        rle[k++] = v;
      }
    }
    return k;
  }
}
