package dev.graft.layer;

import com.github.luben.zstd.ZstdInputStream;
import dev.graft.oci.BlobContent;
import dev.graft.oci.Digest;
import dev.graft.oci.DigestMismatchException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A layer as a reopenable stream of (possibly compressed) tar bytes, and the one way to read one:
 * {@link #read}. {@code name} appears in errors (the layer digest for image layers); {@code diffId},
 * when known (an image config names it), is what the uncompressed tar must hash to. Compression is
 * recognised by magic bytes rather than trusted from the media type: docker-save archives label
 * uncompressed tars as gzip.
 */
public record LayerBlob(String name, BlobContent.Opener opener, Digest diffId) {
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

  /** A layer whose uncompressed tar is not checked against a diffID (none is known). */
  public LayerBlob(String name, BlobContent.Opener opener) {
    this(name, opener, null);
  }

  /** Reads a layer's tar; what it returns is used only when the whole layer proved genuine. */
  @FunctionalInterface
  public interface TarBody<T> {
    T read(TarReader reader) throws IOException;
  }

  /**
   * Streams the layer's tar to {@code body}, then reads everything body left: the tar past its end
   * marker, the compressed stream's trailer and any bytes after it, to the blob's last byte. Only
   * then are the checks complete (the source's stream checks size and digest at its end; the
   * uncompressed bytes are checked against {@link #diffId}), and only then is body's result
   * returned: whatever body built from bytes that fail is thrown away with the exception. A body
   * that fails itself ends the read at once (nothing is drained for a result no one will use).
   */
  public <T> T read(TarBody<T> body) throws IOException {
    try (Opened opened = open()) {
      T result = body.read(new TarReader(opened.tar, name));
      opened.drainAndCheck();
      return result;
    }
  }

  /** The streams of one read: the compressed bytes as the source gave them, and the tar. */
  private static final class Opened implements Closeable {
    private final CountingStream compressed;
    private final InputStream tar;
    private final DiffIdCheck diffIdCheck; // null when no diffID is known

    Opened(CountingStream compressed, InputStream tar, DiffIdCheck diffIdCheck) {
      this.compressed = compressed;
      this.tar = tar;
      this.diffIdCheck = diffIdCheck;
    }

    void drainAndCheck() throws IOException {
      if (diffIdCheck != null) {
        diffIdCheck.verifyToEnd();
      } else {
        tar.transferTo(OutputStream.nullOutputStream());
      }
      // The decompressor stops at its end of stream; the blob may go on (a gzip trailer read
      // short, bytes after it). The source checks size and digest only when it reaches its end.
      compressed.transferTo(OutputStream.nullOutputStream());
    }

    @Override
    public void close() throws IOException {
      tar.close();
    }
  }

  private Opened open() throws IOException {
    CountingStream compressed = new CountingStream(opener.open());
    InputStream raw = new BufferedInputStream(compressed, 1 << 16);
    raw.mark(4);
    byte[] magic = raw.readNBytes(4);
    raw.reset();
    InputStream plain;
    try {
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        plain = new GZIPInputStream(new MembersFollow(raw), 1 << 16);
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
      if (e instanceof DigestMismatchException) {
        throw e;
      }
      throw new LayerFormatException("layer " + name + ": cannot decompress: " + e.getMessage(), e);
    }
    if (plain != raw) {
      plain = new BombGuard(plain, compressed, name);
    }
    InputStream tar = new NamingErrors(new BufferedInputStream(plain, 1 << 16), name);
    DiffIdCheck check = diffId == null ? null : new DiffIdCheck(tar, diffId, name);
    return new Opened(compressed, check == null ? tar : check, check);
  }

  /**
   * Makes GZIPInputStream read every member of a multi-member gzip (an eStargz layer is one member
   * per file): at a member's end it goes on only when {@code available()} says more bytes are
   * there, which a network stream between two packets denies. Here {@code available()} answers by
   * reading ahead one byte (waiting for it), so the next member is never taken for the end.
   */
  static final class MembersFollow extends java.io.PushbackInputStream {
    MembersFollow(InputStream in) {
      super(in, 1);
    }

    @Override
    public int available() throws IOException {
      int a = super.available();
      if (a > 0) {
        return a;
      }
      int b = read();
      if (b < 0) {
        return 0;
      }
      unread(b);
      return 1;
    }
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
