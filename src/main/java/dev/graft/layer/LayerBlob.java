package dev.graft.layer;

import com.github.luben.zstd.ZstdInputStream;
import dev.graft.oci.BlobContent;
import dev.graft.oci.DigestMismatchException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A layer as a reopenable stream of (possibly compressed) tar bytes. {@code name} appears in
 * errors (the layer digest for image layers). Compression is recognised by magic bytes rather
 * than trusted from the media type: docker-save archives label uncompressed tars as gzip.
 */
public record LayerBlob(String name, BlobContent.Opener opener) {
  /**
   * Decompression bombs: past {@link #BOMB_FLOOR} bytes of output, a layer expanding more than
   * this many times its compressed size is refused. gzip cannot exceed ~1030:1 and real layers
   * stay far below 100:1; only long runs of identical bytes (crafted, or huge zero-filled files)
   * get there. Reading stops at once, so neither time nor disk is spent on the rest.
   */
  public static final long MAX_EXPANSION_RATIO = 1000;
  /** Output below this is never refused for its ratio (small layers of zeros are harmless). */
  public static final long BOMB_FLOOR = 256L << 20;

  public LayerBlob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opener, "opener");
  }

  /** Opens the layer as an uncompressed tar; decompression errors name the layer. */
  public TarReader openTar() throws IOException {
    return new TarReader(openUncompressed(), name);
  }

  public InputStream openUncompressed() throws IOException {
    CountingStream compressed = new CountingStream(opener.open());
    InputStream raw = new BufferedInputStream(compressed, 1 << 16);
    raw.mark(4);
    byte[] magic = raw.readNBytes(4);
    raw.reset();
    InputStream plain;
    try {
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        plain = new GZIPInputStream(raw, 1 << 16);
      } else if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
          && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
        ZstdInputStream z = new ZstdInputStream(raw);
        z.setContinuous(false); // a truncated frame is an error, not a pause
        plain = z;
      } else {
        plain = raw;
      }
    } catch (IOException e) {
      raw.close();
      throw new LayerFormatException("layer " + name + ": cannot decompress: " + e.getMessage(), e);
    }
    if (plain != raw) {
      plain = new BombGuard(plain, compressed, name);
    }
    return new NamingErrors(new BufferedInputStream(plain, 1 << 16), name);
  }

  /** Counts the compressed bytes read, for the expansion check. */
  private static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** Refuses output that outgrows its input by more than {@link #MAX_EXPANSION_RATIO}. */
  private static final class BombGuard extends dev.graft.oci.ReadThroughInputStream {
    private final CountingStream compressed;
    private final String name;
    private long expanded;

    BombGuard(InputStream in, CountingStream compressed, String name) {
      super(in);
      this.compressed = compressed;
      this.name = name;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        expanded += n;
        if (expanded > BOMB_FLOOR && expanded > MAX_EXPANSION_RATIO * Math.max(1, compressed.count)) {
          throw new LayerFormatException("layer " + name + " expands to over " + expanded + " bytes from "
              + compressed.count + " compressed (more than " + MAX_EXPANSION_RATIO
              + " times): refusing a likely decompression bomb");
        }
      }
      return n;
    }

  }

  /** Rewrites decompression failures so the message names the layer (digest errors pass as they are). */
  private static final class NamingErrors extends FilterInputStream {
    private final String name;

    NamingErrors(InputStream in, String name) {
      super(in);
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (DigestMismatchException | LayerFormatException e) {
        throw e;
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (DigestMismatchException | LayerFormatException e) {
        throw e;
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    private LayerFormatException wrap(IOException e) {
      return new LayerFormatException("layer " + name + ": corrupt or truncated compressed stream: "
          + e.getMessage(), e);
    }
  }
}
