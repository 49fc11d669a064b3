package dev.graft.layer.deflate;

/** RFC 1951's fixed tables: length and distance codes with their extra bits, the fixed code. */
final class Symbols {
  private Symbols() {}

  static final int END_OF_BLOCK = 256;
  static final int LITLEN_CODES = 286;
  static final int DIST_CODES = 30;
  static final int CODELEN_CODES = 19;

  static final int[] LENGTH_BASE = {
      3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
      35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
  static final int[] LENGTH_EXTRA = {
      0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
  static final int[] DIST_BASE = {
      1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
      257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
  static final int[] DIST_EXTRA = {
      0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
  /** Order in which code-length code lengths are sent. */
  static final int[] CODELEN_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

  /** Length (3..258) → index into LENGTH_BASE (code 257 + index). */
  static final byte[] LENGTH_CODE = new byte[259];
  /** dist-1 below 256 → code; at 256 + ((dist-1) >>> 7) for the rest (zlib's trick). */
  static final byte[] DIST_CODE = new byte[512];

  static final int[] FIXED_LITLEN_LENGTHS = new int[288];
  static final int[] FIXED_DIST_LENGTHS = new int[32];
  static final int[] FIXED_LITLEN_CODES = new int[288];
  static final int[] FIXED_DIST_CODES = new int[32];

  static {
    for (int c = 0; c < LENGTH_BASE.length; c++) {
      int end = c + 1 < LENGTH_BASE.length ? LENGTH_BASE[c] + (1 << LENGTH_EXTRA[c]) : 259;
      for (int len = LENGTH_BASE[c]; len < end && len < 259; len++) {
        LENGTH_CODE[len] = (byte) c;
      }
    }
    LENGTH_CODE[258] = 28; // 258 has its own code even though 227 + 31 would reach it
    for (int c = 0; c < DIST_BASE.length; c++) {
      for (int d = DIST_BASE[c]; d < DIST_BASE[c] + (1 << DIST_EXTRA[c]); d++) {
        int i = d - 1 < 256 ? d - 1 : 256 + ((d - 1) >>> 7);
        DIST_CODE[i] = (byte) c;
      }
    }
    for (int s = 0; s < 288; s++) {
      FIXED_LITLEN_LENGTHS[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    }
    java.util.Arrays.fill(FIXED_DIST_LENGTHS, 5);
    Huffman.codes(FIXED_LITLEN_LENGTHS, 288, FIXED_LITLEN_CODES);
    Huffman.codes(FIXED_DIST_LENGTHS, 32, FIXED_DIST_CODES);
  }

  static int distCode(int dist) {
    int d = dist - 1;
    return DIST_CODE[d < 256 ? d : 256 + (d >>> 7)];
  }
}
