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
  public LayerBlob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opener, "opener");
  }

  /** Opens the layer as an uncompressed tar; decompression errors name the layer. */
  public TarReader openTar() throws IOException {
    return new TarReader(openUncompressed(), name);
  }

  public InputStream openUncompressed() throws IOException {
    InputStream raw = new BufferedInputStream(opener.open(), 1 << 16);
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
    return new NamingErrors(new BufferedInputStream(plain, 1 << 16), name);
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
