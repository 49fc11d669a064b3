package dev.graft.layer;

import dev.graft.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * Reopenable bytes of a file to be written into a layer. {@code identity} names the content
 * stably (e.g. {@code sha256:…} of the bytes, or a source layer digest plus entry) so a layer
 * cache key can be computed without reading it.
 */
public interface ContentSource {
  InputStream open() throws IOException;

  String identity();

  /**
   * Random access to the bytes when they live in a file (a spool, a host file), so an ELF parser
   * can seek in a 100 MB binary without holding it in memory; empty when only streaming is possible.
   */
  default Optional<SeekableByteChannel> openChannel() throws IOException {
    return Optional.empty();
  }

  /** Small in-memory content (generated files, tests). */
  static ContentSource ofBytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    String id = Digest.sha256(copy).toString();
    return new ContentSource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(copy);
      }

      @Override
      public String identity() {
        return id;
      }
    };
  }
}
