package dev.graft.layer.deflate;

import java.util.Arrays;

/**
 * Length-limited canonical Huffman codes for deflate. Integer-only and with every tie broken by
 * symbol number, so the same frequencies always give the same code lengths.
 */
final class Huffman {
  private Huffman() {}

  /**
   * Fills {@code lengths[0..n)} with code lengths of at most {@code maxLen} bits for {@code freq}.
   * At least two symbols get a code (symbols 0 and 1 are added when fewer are used): zlib's
   * inflater rejects an incomplete code, and a single one-bit code is incomplete. The result is
   * always a complete prefix code (Kraft sum exactly 1).
   */
  static void lengths(int[] freq, int n, int maxLen, int[] lengths) {
    Arrays.fill(lengths, 0, n, 0);
    long[] items = new long[n + 2]; // (freq << 16) | symbol: sorting orders by freq, then symbol
    int used = 0;
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        items[used++] = ((long) freq[s] << 16) | s;
      }
    }
    // Symbols 0 then 1, if unused, while fewer than two are used (frequency 0: they sort first).
    // In arithmetic, not branches: the case is rare and first met late in a build, and a branch
    // no early call took made C2 trap and recompile this method (issue #20). x >>> 31 is 1 when
    // x < 0; a write past `used` that is not counted is ignored (items has room for it).
    items[used] = 0;
    used += ((freq[0] - 1) >>> 31) & ((used - 2) >>> 31);
    items[used] = 1;
    used += ((freq[1] - 1) >>> 31) & ((used - 2) >>> 31);
    Arrays.sort(items, 0, used);
    int[] sym = new int[used];
    for (int i = 0; i < used; i++) {
      sym[i] = (int) (items[i] & 0xFFFF);
    }
    int[] depth = treeDepths(items, used);
    for (int i = 0; i < used; i++) {
      lengths[sym[i]] = Math.min(depth[i], maxLen);
    }
    limit(sym, used, maxLen, lengths);
  }

  /**
   * Depth of each leaf (in the sorted order of {@code items}) in a Huffman tree built with the
   * two-queue method: leaves are already sorted, merged nodes come out in non-decreasing order.
   */
  private static int[] treeDepths(long[] items, int n) {
    int nodes = 2 * n - 1;
    long[] weight = new long[nodes];
    int[] parent = new int[nodes];
    for (int i = 0; i < n; i++) {
      weight[i] = items[i] >>> 16;
    }
    int leaf = 0;
    int inner = n;
    for (int next = n; next < nodes; next++) {
      int a;
      if (leaf < n && (inner >= next || weight[leaf] <= weight[inner])) {
        a = leaf++;
      } else {
        a = inner++;
      }
      int b;
      if (leaf < n && (inner >= next || weight[leaf] <= weight[inner])) {
        b = leaf++;
      } else {
        b = inner++;
      }
      weight[next] = weight[a] + weight[b];
      parent[a] = next;
      parent[b] = next;
    }
    int[] depth = new int[nodes];
    for (int i = nodes - 2; i >= 0; i--) {
      depth[i] = depth[parent[i]] + 1;
    }
    return Arrays.copyOf(depth, n);
  }

  /**
   * Makes clamped lengths a complete code again. {@code sym} is ordered by ascending frequency.
   * While the Kraft sum is over 1, the rarest symbol among the longest codes below the limit is
   * made one bit longer; then, while under 1, the most frequent symbol at the longest length is
   * made one bit shorter (each step adds the smallest weight present, which divides the slack,
   * so the sum reaches exactly 1).
   */
  private static void limit(int[] sym, int used, int maxLen, int[] lengths) {
    long one = 1L << maxLen;
    long kraft = 0;
    for (int i = 0; i < used; i++) {
      kraft += 1L << (maxLen - lengths[sym[i]]);
    }
    while (kraft > one) {
      int pick = -1;
      for (int i = 0; i < used; i++) {
        int len = lengths[sym[i]];
        if (len < maxLen && (pick < 0 || len > lengths[sym[pick]])) {
          pick = i;
        }
      }
      kraft -= 1L << (maxLen - lengths[sym[pick]] - 1);
      lengths[sym[pick]]++;
    }
    while (kraft < one) {
      int pick = -1;
      for (int i = used - 1; i >= 0; i--) {
        int len = lengths[sym[i]];
        if (pick < 0 || len > lengths[sym[pick]]) {
          pick = i;
        }
      }
      kraft += 1L << (maxLen - lengths[sym[pick]]);
      lengths[sym[pick]]--;
    }
  }

  /** Canonical codes (RFC 1951 3.2.2), bit-reversed so they can be written LSB first. */
  static void codes(int[] lengths, int n, int[] codes) {
    int[] count = new int[16];
    for (int s = 0; s < n; s++) {
      count[lengths[s]]++;
    }
    count[0] = 0;
    int[] next = new int[16];
    int code = 0;
    for (int bits = 1; bits < 16; bits++) {
      code = (code + count[bits - 1]) << 1;
      next[bits] = code;
    }
    for (int s = 0; s < n; s++) {
      int len = lengths[s];
      codes[s] = len == 0 ? 0 : Integer.reverse(next[len]++) >>> (32 - len);
    }
  }
}
