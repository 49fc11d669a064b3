package dev.graft.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Positional reads that never trust a size from the file: every read is checked against the
 * file's real size (and a hard cap) before a buffer is allocated, so a hostile header that
 * claims a gigabyte table gives an {@link ElfFormatException}, not an OutOfMemoryError.
 */
final class BoundedReader {
  /** The largest single structure graft reads (a big binary's .dynstr is a few MiB). */
  static final int MAX_READ = 64 << 20;

  private final SeekableByteChannel channel;
  private final long size;
  private final String name;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  BoundedReader(SeekableByteChannel channel, String name) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    this.name = name;
  }

  long size() {
    return size;
  }

  void order(ByteOrder order) {
    this.order = order;
  }

  ElfFormatException fail(String what) {
    return new ElfFormatException(name + ": " + what);
  }

  /** Reads exactly {@code length} bytes at {@code offset}, or fails naming {@code what}. */
  ByteBuffer read(long offset, long length, String what) throws IOException {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw fail(what + " (" + Long.toUnsignedString(length) + " bytes at offset " + Long.toUnsignedString(offset)
          + ") lies past the end of the file (" + size + " bytes): truncated or corrupt ELF file");
    }
    if (length > MAX_READ) {
      throw fail(what + " is " + length + " bytes, more than the " + MAX_READ + " graft reads: corrupt ELF file");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) length).order(order);
    channel.position(offset);
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        throw fail(what + ": unexpected end of file at offset " + (offset + buf.position()));
      }
    }
    return buf.flip();
  }
}
