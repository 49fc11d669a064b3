package dev.graft.layer.deflate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * graft's own deflate encoder (RFC 1951), written for the block-parallel gzip stream: each call
 * compresses one chunk, optionally primed with a preset dictionary (the previous chunk's last
 * 32 KiB), and ends it either as the final block or byte-aligned after an empty stored block
 * (like zlib's Z_SYNC_FLUSH), so that chunks concatenate into one deflate stream.
 *
 * <p>The output is a pure function of (dictionary, data, last, level): integer arithmetic only,
 * no state carried between calls, nothing from the JDK's or the OS's zlib. Matches come from
 * hash chains over 4-byte prefixes with a bounded search depth and one-step lazy evaluation (like
 * zlib's levels 4–9), and an extra single-entry table of 3-byte prefixes for short, near matches;
 * bytes are compared 8 at a time. Symbols are buffered 16 Ki at a time and {@link BlockWriter}
 * cuts them into blocks where their statistics change, each block dynamic Huffman, fixed Huffman
 * or stored, whichever is smallest.
 *
 * <p>An instance holds large reusable tables and is not thread-safe; use one per thread.
 */
public final class DeflateEncoder {
  /** Largest distance deflate can express. */
  public static final int WINDOW = 32 * 1024;
  private static final int WINDOW_MASK = WINDOW - 1;
  private static final int MIN_MATCH = 4;
  private static final int MAX_MATCH = 258;
  /** A length-3 match only pays off when its distance is small (zlib's TOO_FAR is 4096). */
  private static final int MAX_DIST_3 = 4096;
  private static final int HASH_BITS = 15;
  private static final int HASH3_BITS = 12;
  /** Symbols buffered before blocks are chosen (zlib at memLevel 8 cuts its blocks here). */
  private static final int BLOCK_SYMBOLS = 16 * 1024;
  private static final byte[] NO_DICTIONARY = new byte[0];

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Level level;
  private final int[] head = new int[1 << HASH_BITS];
  private final int[] head3 = new int[1 << HASH3_BITS];
  /**
   * Hash chains: the previous position with the same hash, for the last 32 Ki positions (a ring,
   * small enough to stay in cache; an entry is overwritten when its position falls out of reach).
   */
  private final int[] prev = new int[WINDOW];
  private byte[] window = new byte[0];
  private final int[] syms = new int[BLOCK_SYMBOLS];
  private final BlockWriter writer = new BlockWriter();
  private int nsyms;
  private int blockStart;
  private int emitted;

  public DeflateEncoder(int level) {
    this.level = Level.of(level);
  }

  /**
   * Deflates {@code data[off..off+len)} as raw deflate (no zlib or gzip wrapper).
   *
   * @param dict preset dictionary (its last 32 KiB are used), or null
   * @param last true to end with the final block; false to end byte-aligned with an empty stored
   *     block so that another chunk can follow
   */
  public byte[] deflate(byte[] dict, byte[] data, int off, int len, boolean last) {
    // No branch on the dictionary's presence past this line: the gzip stream's first block has an
    // empty one, and a path its early blocks never took made C2 trap and recompile (issue #20).
    byte[] d = dict == null ? NO_DICTIONARY : dict;
    int dictLen = Math.min(d.length, WINDOW);
    int total = dictLen + len;
    if (window.length < total + 8) {
      window = new byte[total + 8];
    }
    System.arraycopy(d, d.length - dictLen, window, 0, dictLen);
    System.arraycopy(data, off, window, dictLen, len);
    Arrays.fill(window, total, total + 8, (byte) 0);
    Arrays.fill(head, -1);
    Arrays.fill(head3, -1);
    writer.out.reset();
    nsyms = 0;
    blockStart = dictLen;
    emitted = dictLen;

    for (int p = 0; p + MIN_MATCH <= total && p < dictLen; p++) {
      insert(p);
    }
    compress(dictLen, total);
    if (nsyms > 0 || last) {
      flushBlock(last);
    }
    if (!last) {
      writer.syncFlush();
    } else {
      writer.out.align();
    }
    return writer.out.toByteArray();
  }

  private int insert(int p) {
    int h = ((int) INT.get(window, p) * 0x9E3779B1) >>> (32 - HASH_BITS);
    int cand = head[h];
    head[h] = p;
    prev[p & WINDOW_MASK] = cand;
    return cand;
  }

  private void compress(int start, int end) {
    final byte[] w = window;
    final int hashEnd = end - MIN_MATCH; // positions p <= hashEnd have 4 bytes to hash
    final int maxLazy = level.maxLazy;
    final int good = level.good;
    int pos = start;
    int prevLen = 0;
    int prevDist = 0;
    boolean pending = false; // a literal or match starting at pos-1 awaits its lazy decision
    while (pos < end) {
      int curLen = 0;
      int curDist = 0;
      // The last 3 positions (past hashEnd) find no match: longestMatch and shortMatch return 0
      // there without a branch of their own. Inserting them is harmless: only the chunk's
      // remaining positions (these) could follow them. No `pos <= hashEnd` test here: a chunk
      // ending on literals is rare early in a build, and C2 compiled that path as a trap, then
      // recompiled this loop when a chunk took it (issue #20).
      int cand = insert(pos);
      if (prevLen < maxLazy) {
        int chain = prevLen >= good ? level.maxChain >> 2 : level.maxChain;
        int m = longestMatch(pos, cand, Math.max(prevLen, MIN_MATCH - 1), chain, end);
        if (m != 0) {
          curLen = m >>> 16;
          curDist = m & 0xFFFF;
        } else if (prevLen < 3) {
          int s3 = shortMatch(pos, hashEnd);
          if (s3 != 0) {
            curLen = 3;
            curDist = s3;
          }
        }
      }
      if (pending && prevLen >= 3 && curLen <= prevLen) {
        match(prevLen, prevDist);
        int stop = pos - 1 + prevLen;
        int last = Math.min(stop, hashEnd + 1);
        for (int p = pos + 1; p < last; p++) {
          insert(p);
        }
        pos = stop;
        pending = false;
        prevLen = 0;
      } else {
        if (pending) {
          literal(w[pos - 1] & 0xFF);
        }
        pending = true;
        prevLen = curLen;
        prevDist = curDist;
        pos++;
      }
      // One test for a full buffer, wherever the symbol came from (a literal() and a match()
      // test of their own let C2 compile the one of them no early block had filled as a trap).
      if (nsyms == BLOCK_SYMBOLS) {
        flushBlock(false);
      }
    }
    if (pending) {
      literal(w[end - 1] & 0xFF);
      if (nsyms == BLOCK_SYMBOLS) {
        flushBlock(false);
      }
    }
  }

  /**
   * A 3-byte match from the single-entry table, as its distance, or 0; also records pos. None
   * past {@code hashEnd} (the chunk's last 3 positions).
   */
  private int shortMatch(int pos, int hashEnd) {
    int x = (int) INT.get(window, pos) & 0xFFFFFF;
    int h = (x * 0x9E3779B1) >>> (32 - HASH3_BITS);
    int cand = head3[h];
    head3[h] = pos;
    if (cand >= 0 && pos - cand <= MAX_DIST_3 && ((int) INT.get(window, cand) & 0xFFFFFF) == x) {
      return (pos - cand) & ~((hashEnd - pos) >> 31); // x >> 31 is -1 when x < 0
    }
    return 0;
  }

  /**
   * The longest match for {@code pos} longer than {@code best}, following the hash chain from
   * {@code cand} for at most {@code chain} steps, as {@code length << 16 | distance}, or 0.
   */
  private int longestMatch(int pos, int cand, int best, int chain, int end) {
    final byte[] w = window;
    int maxLen = Math.min(MAX_MATCH, end - pos);
    int nice = Math.min(level.nice, maxLen);
    // No candidate when best >= maxLen (near the chunk's end): the limit then stops the loop at
    // once. Arithmetic, not a branch: see compress.
    int limit = Math.max(pos - WINDOW, 0) | (((maxLen - 1 - best) >> 31) & Integer.MAX_VALUE);
    int first = (int) INT.get(w, pos);
    int bestDist = 0;
    while (cand >= limit) {
      // Only a candidate that matches the 4 bytes ending at best, and the first 4, can be longer.
      if ((int) INT.get(w, cand + best - 3) == (int) INT.get(w, pos + best - 3)
          && (int) INT.get(w, cand) == first) {
        int len = MIN_MATCH + common(w, cand + MIN_MATCH, pos + MIN_MATCH, maxLen - MIN_MATCH);
        if (len > best) {
          best = len;
          bestDist = pos - cand;
          if (len >= nice) {
            break;
          }
        }
      }
      // The ring entry of the position exactly WINDOW back now holds the current position's link.
      if (--chain == 0 || cand == pos - WINDOW) {
        break;
      }
      cand = prev[cand & WINDOW_MASK];
    }
    return bestDist == 0 ? 0 : (best << 16) | bestDist;
  }

  /** Number of equal bytes at a and b, at most max; 8 at a time. */
  private static int common(byte[] w, int a, int b, int max) {
    int n = 0;
    while (n + 8 <= max) {
      long x = (long) LONG.get(w, a + n) ^ (long) LONG.get(w, b + n);
      if (x != 0) {
        return n + (Long.numberOfTrailingZeros(x) >>> 3);
      }
      n += 8;
    }
    while (n < max && w[a + n] == w[b + n]) {
      n++;
    }
    return n;
  }

  /** Buffers a literal; the caller flushes a full buffer (at most one symbol per step). */
  private void literal(int b) {
    syms[nsyms++] = b;
    emitted++;
  }

  /** Buffers a match; the caller flushes a full buffer. */
  private void match(int len, int dist) {
    syms[nsyms++] = (len << 16) | dist;
    emitted += len;
  }

  private void flushBlock(boolean last) {
    writer.write(syms, nsyms, window, blockStart, last);
    nsyms = 0;
    blockStart = emitted;
  }

  /** Search effort per level, zlib's shape: lazy threshold, "good" length, nice length, chain. */
  private record Level(int good, int maxLazy, int nice, int maxChain) {
    static Level of(int level) {
      return switch (level) {
        case 1, 2, 3 -> new Level(4, 4, 16, 8);
        case 4, 5 -> new Level(8, 16, 32, 16);
        case 6 -> new Level(8, 16, 128, 64);
        case 7 -> new Level(8, 32, 128, 128);
        case 8 -> new Level(32, 128, 258, 512);
        case 9 -> new Level(32, 258, 258, 2048);
        default -> throw new IllegalArgumentException("deflate level must be 1..9, got " + level);
      };
    }
  }
}
