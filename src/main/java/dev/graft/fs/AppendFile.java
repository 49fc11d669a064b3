package dev.graft.fs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One temp file that file contents are appended to and read back by range: what
 * {@link ContentSpool} and {@link KeptContents} keep instead of holding contents in memory. Created
 * on the first append; deleted on close. Not thread-safe: its owners synchronize.
 */
final class AppendFile implements Closeable {
  /** Where one appended content sits in the file. */
  record Range(long offset, long length) {}

  private final Path dir;
  private final String prefix;
  /** One copy buffer, large: InputStream.transferTo's 8 KiB meant a write call per 8 KiB of node's 120 MB. */
  private final byte[] buffer = new byte[1 << 18];
  private Path file;
  private OutputStream out;
  private long end;

  AppendFile(Path dir, String prefix) {
    this.dir = dir;
    this.prefix = prefix;
  }

  /** Appends {@code content} to its end; readable once {@link #flush flushed}. */
  Range append(InputStream content) throws IOException {
    if (out == null) {
      if (file == null) {
        Files.createDirectories(dir);
        file = Files.createTempFile(dir, prefix, ".bin");
      }
      out = Files.newOutputStream(file, StandardOpenOption.APPEND);
    }
    long start = end;
    for (int r; (r = content.read(buffer)) > 0; ) {
      out.write(buffer, 0, r);
      end += r; // kept true when a read fails part-way: the next content goes after these bytes
    }
    return new Range(start, end - start);
  }

  /** Makes everything appended so far readable. */
  void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  /** Nothing more is appended for now: the writer is closed (a later append opens it again). */
  void finishWriting() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  /** A channel of its own over one appended content. */
  SeekableByteChannel channel(Range range) throws IOException {
    return new RangeChannel(FileChannel.open(file, StandardOpenOption.READ), range.offset(), range.length());
  }

  @Override
  public void close() throws IOException {
    finishWriting();
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
