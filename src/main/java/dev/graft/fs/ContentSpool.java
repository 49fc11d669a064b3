package dev.graft.fs;

import dev.graft.layer.ContentSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives selected files' contents to a layer writer without keeping them in memory and without
 * reading a source layer once per file: on first use, each source layer holding registered files
 * is streamed once and their bytes are copied into one temp file, then read back by range.
 */
public final class ContentSpool implements Closeable {
  private final FileTree tree;
  private final Path dir;
  private final Map<ContentRef, TreeEntry> registered = new LinkedHashMap<>();
  private final Map<ContentRef, long[]> ranges = new HashMap<>();
  private Path file;

  public ContentSpool(FileTree tree, Path tempDir) {
    this.tree = tree;
    this.dir = tempDir;
  }

  /** A content source for a file node; its identity names the source layer and entry. */
  public ContentSource source(TreeEntry node) {
    ContentRef ref = node.content();
    if (ref == null) {
      throw new IllegalArgumentException(node.path() + " has no content");
    }
    registered.putIfAbsent(ref, node);
    String identity = tree.layers().get(ref.layer()).name() + "#" + ref.ordinal();
    return new ContentSource() {
      @Override
      public InputStream open() throws IOException {
        return ContentSpool.this.open(ref);
      }

      @Override
      public String identity() {
        return identity;
      }

      @Override
      public Optional<SeekableByteChannel> openChannel() throws IOException {
        return Optional.of(ContentSpool.this.channel(ref));
      }
    };
  }

  private synchronized SeekableByteChannel channel(ContentRef ref) throws IOException {
    if (!ranges.containsKey(ref)) {
      spool();
    }
    long[] range = ranges.get(ref);
    return new RangeChannel(FileChannel.open(file, StandardOpenOption.READ), range[0], range[1]);
  }

  private synchronized InputStream open(ContentRef ref) throws IOException {
    if (!ranges.containsKey(ref)) {
      spool();
    }
    long[] range = ranges.get(ref);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    ch.position(range[0]);
    return new java.io.FilterInputStream(Channels.newInputStream(ch)) {
      long left = range[1];

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }

  /** Copies every registered content into a new spool file; its ranges are used only once the layers proved genuine. */
  private void spool() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
      file = null;
    }
    ranges.clear();
    Files.createDirectories(dir);
    Path staging = Files.createTempFile(dir, "spool", ".bin");
    Map<ContentRef, long[]> staged = new HashMap<>();
    long[] offset = {0};
    try (OutputStream out = Files.newOutputStream(staging)) {
      tree.readContents(registered.values(), (ref, size, in) -> {
        long n = in.transferTo(out);
        staged.put(ref, new long[] {offset[0], n});
        offset[0] += n;
      });
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(staging);
      throw e;
    }
    file = staging;
    ranges.putAll(staged);
  }

  @Override
  public synchronized void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
