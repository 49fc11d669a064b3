package dev.graft.layer.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.NpmFixtures;
import dev.graft.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The encoder's raw deflate output, judged by the JDK's inflater (zlib): every input comes back
 * exactly, with and without a preset dictionary, and a non-final chunk ends byte-aligned so that
 * another can follow. The gzip stream built from these chunks is judged by gzip, pigz and zcat in
 * {@code dev.graft.layer.CompressionTest}.
 */
class DeflateEncoderTest {
  private static final byte[] SYNC_MARKER = {0, 0, (byte) 0xff, (byte) 0xff};

  /** Inflates a raw deflate stream that must end exactly where its final block ends. */
  static byte[] inflate(byte[] dict, byte[] deflated, int expectedSize) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      if (dict != null) {
        inflater.setDictionary(dict);
      }
      // zlib's raw inflate wants one byte past the end to finish (its documented quirk).
      inflater.setInput(Arrays.copyOf(deflated, deflated.length + 1));
      byte[] out = new byte[expectedSize + 1];
      int n = 0;
      while (!inflater.finished()) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary() || n == out.length)) {
          throw new AssertionError("stream did not finish after " + n + " bytes");
        }
        n += got;
      }
      assertThat(inflater.getRemaining()).as("bytes after the final block").isEqualTo(1);
      return Arrays.copyOf(out, n);
    } finally {
      inflater.end();
    }
  }

  /** Deflates as the gzip stream does: chunks, each primed with the previous 32 KiB. */
  static byte[] chunked(DeflateEncoder encoder, byte[] data, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int off = 0;
    do {
      int len = Math.min(chunk, data.length - off);
      byte[] dict = off == 0 ? null : Arrays.copyOfRange(data, Math.max(0, off - DeflateEncoder.WINDOW), off);
      byte[] piece = encoder.deflate(dict, data, off, len, off + len == data.length);
      if (off + len < data.length) {
        assertThat(Arrays.copyOfRange(piece, piece.length - 4, piece.length)).isEqualTo(SYNC_MARKER);
      }
      out.writeBytes(piece);
      off += len;
    } while (off < data.length);
    return out.toByteArray();
  }

  private static void assertRoundTrips(byte[] data) throws DataFormatException {
    DeflateEncoder encoder = new DeflateEncoder(6);
    assertThat(inflate(null, encoder.deflate(null, data, 0, data.length, true), data.length)).isEqualTo(data);
    assertThat(inflate(null, chunked(encoder, data, 128 * 1024), data.length)).isEqualTo(data);
  }

  private static byte[] alpineTar() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(TestData.alpine("3.18", "x86_64")))) {
      return in.readAllBytes();
    }
  }

  @Test
  void emptyInputIsOneFinalBlock() throws Exception {
    byte[] out = new DeflateEncoder(6).deflate(null, new byte[0], 0, 0, true);
    assertThat(out).hasSizeLessThanOrEqualTo(2);
    assertThat(inflate(null, out, 0)).isEmpty();
  }

  @Test
  void emptyNonFinalChunkIsOnlyTheSyncMarker() {
    byte[] dict = "some earlier bytes".getBytes();
    assertThat(new DeflateEncoder(6).deflate(dict, new byte[0], 0, 0, false))
        .isEqualTo(new byte[] {0, 0, 0, (byte) 0xff, (byte) 0xff});
  }

  @Test
  void oneByteRoundTrips() throws Exception {
    assertRoundTrips(new byte[] {42});
  }

  @Test
  void longRunsOfZerosShrinkToAlmostNothing() throws Exception {
    byte[] zeros = new byte[3 * 1024 * 1024 + 17];
    assertRoundTrips(zeros);
    assertThat(new DeflateEncoder(6).deflate(null, zeros, 0, zeros.length, true).length)
        .isLessThan(zeros.length / 500);
  }

  @Test
  void incompressibleDataIsStoredWithLittleOverhead() throws Exception {
    byte[] random = new byte[1024 * 1024 + 3];
    new SplittableRandom(1).nextBytes(random);
    assertRoundTrips(random);
    byte[] out = new DeflateEncoder(6).deflate(null, random, 0, random.length, true);
    assertThat(out.length).isLessThan(random.length + random.length / 1000);
  }

  @Test
  void realTextRoundTripsAndShrinks() throws Exception {
    byte[] text = Files.readAllBytes(NpmFixtures.file(NpmFixtures.NODE_X64, "CHANGELOG.md"));
    assertRoundTrips(text);
    assertThat(new DeflateEncoder(6).deflate(null, text, 0, text.length, true).length).isLessThan(text.length / 3);
  }

  @Test
  void realElfBinaryRoundTrips() throws Exception {
    assertRoundTrips(Files.readAllBytes(NpmFixtures.file(NpmFixtures.ESBUILD_X64, "bin/esbuild")));
  }

  @Test
  void realTarRoundTripsAtEveryLevel() throws Exception {
    byte[] tar = alpineTar();
    for (int level = 1; level <= 9; level++) {
      DeflateEncoder encoder = new DeflateEncoder(level);
      assertThat(inflate(null, chunked(encoder, tar, 128 * 1024), tar.length)).as("level " + level).isEqualTo(tar);
    }
  }

  @Test
  void sizesAroundWindowStoredAndChunkLimitsRoundTrip() throws Exception {
    byte[] tar = alpineTar();
    int[] sizes = {2, 3, 4, 5, 257, 258, 259, 65535, 65536, 65537, 32767, 32768, 32769,
        128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1, 256 * 1024, 256 * 1024 + 1};
    for (int size : sizes) {
      byte[] data = Arrays.copyOfRange(tar, 40_000, 40_000 + size);
      assertRoundTrips(data);
      byte[] random = new byte[size];
      new SplittableRandom(size).nextBytes(random);
      assertRoundTrips(random);
    }
  }

  @Test
  void presetDictionaryIsUsedForMatches() throws Exception {
    byte[] tar = alpineTar();
    DeflateEncoder encoder = new DeflateEncoder(6);
    for (int dictLen : new int[] {1, 100, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 100_000}) {
      byte[] dict = Arrays.copyOfRange(tar, 300_000, 300_000 + dictLen);
      byte[] data = Arrays.copyOfRange(tar, 300_000 + dictLen, 300_000 + dictLen + 50_000);
      byte[] withDict = encoder.deflate(dict, data, 0, data.length, true);
      // Only the last 32 KiB of a longer dictionary can be referred to.
      byte[] window = Arrays.copyOfRange(dict, Math.max(0, dictLen - DeflateEncoder.WINDOW), dictLen);
      assertThat(inflate(window, withDict, data.length)).as("dictionary of " + dictLen).isEqualTo(data);
    }
    // A chunk repeating its dictionary is 127 maximal matches at distance 32768: a few hundred
    // bytes, where the data alone deflates to several KiB.
    byte[] dict = Arrays.copyOfRange(tar, 1_000_000, 1_000_000 + 32 * 1024);
    assertThat(encoder.deflate(null, dict, 0, dict.length, true).length).isGreaterThan(4000);
    assertThat(encoder.deflate(dict, dict, 0, dict.length, true).length).isLessThan(400);
  }

  @Test
  void outputIsAPureFunctionOfItsInputs() throws Exception {
    byte[] tar = alpineTar();
    byte[] dict = Arrays.copyOfRange(tar, 0, 32 * 1024);
    byte[] data = Arrays.copyOfRange(tar, 32 * 1024, 32 * 1024 + 128 * 1024);
    DeflateEncoder used = new DeflateEncoder(6);
    used.deflate(null, tar, 500_000, 200_000, false); // leaves different contents in its tables
    assertThat(used.deflate(dict, data, 0, data.length, false))
        .isEqualTo(new DeflateEncoder(6).deflate(dict.clone(), data.clone(), 0, data.length, false));
  }

  /**
   * Many seeded random inputs mixing the shapes deflate cares about: runs, repeats at near and
   * far distances, small alphabets, noise, and lengths around 3 and 258; each must round-trip,
   * whole and chunked, with and without a dictionary.
   */
  @Test
  void randomlyShapedInputsRoundTrip() throws Exception {
    SplittableRandom random = new SplittableRandom(20261123);
    for (int i = 0; i < 400; i++) {
      byte[] data = shaped(random, random.nextInt(i < 300 ? 5_000 : 400_000));
      int level = 1 + random.nextInt(9);
      DeflateEncoder encoder = new DeflateEncoder(level);
      String what = "input " + i + " (" + data.length + " bytes, level " + level + ")";
      assertThat(inflate(null, encoder.deflate(null, data, 0, data.length, true), data.length)).as(what).isEqualTo(data);
      int chunk = 32 * 1024 + random.nextInt(100_000);
      assertThat(inflate(null, chunked(encoder, data, chunk), data.length)).as(what + " chunked").isEqualTo(data);
      byte[] dict = shaped(random, random.nextInt(40_000));
      byte[] window = Arrays.copyOfRange(dict, Math.max(0, dict.length - DeflateEncoder.WINDOW), dict.length);
      assertThat(inflate(window.length == 0 ? null : window,
          encoder.deflate(dict, data, 0, data.length, true), data.length)).as(what + " with dictionary").isEqualTo(data);
    }
  }

  private static byte[] shaped(SplittableRandom random, int size) {
    byte[] data = new byte[size];
    int pos = 0;
    while (pos < size) {
      int len = Math.min(size - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 600));
      switch (random.nextInt(5)) {
        case 0 -> Arrays.fill(data, pos, pos + len, (byte) random.nextInt(256));
        case 1 -> {
          for (int j = 0; j < len; j++) {
            data[pos + j] = (byte) random.nextInt(256);
          }
        }
        case 2 -> {
          for (int j = 0; j < len; j++) {
            data[pos + j] = (byte) ('a' + random.nextInt(4));
          }
        }
        default -> {
          if (pos > 0) {
            int dist = 1 + random.nextInt(Math.min(pos, random.nextBoolean() ? 300 : 40_000));
            for (int j = 0; j < len; j++) {
              data[pos + j] = data[pos + j - dist];
            }
          }
        }
      }
      pos += len;
    }
    return data;
  }
}
