package dev.graft.layer.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Code lengths must form a complete prefix code within the limit, whatever the frequencies. */
class HuffmanTest {
  private static long kraft(int[] lengths, int maxLen) {
    long sum = 0;
    for (int len : lengths) {
      if (len > 0) {
        sum += 1L << (maxLen - len);
      }
    }
    return sum;
  }

  private static int[] lengthsOf(int[] freq, int maxLen) {
    int[] lengths = new int[freq.length];
    Huffman.lengths(freq, freq.length, maxLen, lengths);
    for (int s = 0; s < freq.length; s++) {
      assertThat(lengths[s]).isBetween(freq[s] > 0 ? 1 : 0, maxLen);
    }
    assertThat(kraft(lengths, maxLen)).as("Kraft sum, complete code").isEqualTo(1L << maxLen);
    return lengths;
  }

  @Test
  void fibonacciFrequenciesAreLimitedToTheMaximumLength() {
    // Fibonacci weights make the deepest possible Huffman tree: 30 symbols would need 29 bits.
    int[] freq = new int[30];
    freq[0] = 1;
    freq[1] = 1;
    for (int i = 2; i < freq.length; i++) {
      freq[i] = freq[i - 1] + freq[i - 2];
    }
    lengthsOf(freq, 15);
    lengthsOf(java.util.Arrays.copyOf(freq, 19), 7);
  }

  @Test
  void oneOrNoUsedSymbolStillGivesTwoOneBitCodes() {
    int[] lengths = lengthsOf(new int[30], 15);
    assertThat(lengths[0]).isEqualTo(1);
    assertThat(lengths[1]).isEqualTo(1);
    int[] one = new int[286];
    one[256] = 1;
    int[] l = lengthsOf(one, 15);
    assertThat(l[256]).isEqualTo(1);
    assertThat(l[0]).isEqualTo(1);
    // the one used symbol is 0 or 1 itself: the other of the two is added, nothing else
    for (int used = 0; used < 2; used++) {
      int[] f = new int[30];
      f[used] = 7;
      int[] got = lengthsOf(f, 15);
      assertThat(got[0]).isEqualTo(1);
      assertThat(got[1]).isEqualTo(1);
      assertThat(java.util.Arrays.stream(got).sum()).isEqualTo(2);
    }
  }

  @Test
  void morefrequentSymbolsNeverGetLongerCodes() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 500; round++) {
      int[] freq = new int[286];
      for (int s = 0; s < freq.length; s++) {
        freq[s] = random.nextInt(4) == 0 ? 0 : 1 << random.nextInt(random.nextBoolean() ? 4 : 24);
      }
      int maxLen = random.nextBoolean() ? 15 : 9;
      int[] lengths = lengthsOf(freq, maxLen);
      for (int a = 0; a < freq.length; a++) {
        for (int b = 0; b < freq.length; b++) {
          if (freq[a] > freq[b] && freq[b] > 0) {
            assertThat(lengths[a]).as("round " + round).isLessThanOrEqualTo(lengths[b]);
          }
        }
      }
    }
  }

  @Test
  void canonicalCodesArePrefixFreeAndBitReversed() {
    int[] lengths = {3, 3, 3, 3, 3, 2, 4, 4};
    int[] codes = new int[8];
    Huffman.codes(lengths, 8, codes);
    // RFC 1951 3.2.2's example: F=00, A..E=010..110, G=1110, H=1111 (here written LSB first).
    int[] expected = {0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111};
    for (int s = 0; s < 8; s++) {
      assertThat(codes[s]).isEqualTo(Integer.reverse(expected[s]) >>> (32 - lengths[s]));
    }
  }
}
