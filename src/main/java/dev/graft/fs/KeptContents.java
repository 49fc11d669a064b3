package dev.graft.fs;

import dev.graft.layer.EntryMetadata;
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
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Contents of chosen files, copied into one temp file while a tree's layers are streamed for its
 * listing ({@link FileTree#of(java.util.List, KeptContents)}), so that {@link FileTree#readContents}
 * need not stream (inflate and hash) those layers a second time: a cold build read its builder's
 * layers once for the tree and once more for the files it takes. A copy is handed out only once the
 * whole layer it came from was read and checked (digest, size, diffID); until then it is pending.
 * Which files to keep is a guess the caller makes before anything is selected: a file not kept is
 * read from its layer as before, a file kept and not used costs its copy.
 */
public final class KeptContents implements Closeable {
  private final BiPredicate<String, EntryMetadata> wanted;
  private final Path dir;
  private final Map<ContentRef, long[]> pending = new HashMap<>(); // of the layer being read
  private final Map<ContentRef, long[]> checked = new HashMap<>();
  /** transferTo's 8 KiB meant a write call per 8 KiB of node's 120 MB: one copy buffer, larger. */
  private final byte[] copyBuffer = new byte[1 << 18];
  private Path file;
  private OutputStream out;
  private long end;

  /** Keeps files whose path in the tree and metadata {@code wanted} accepts, in a temp file in {@code dir}. */
  public KeptContents(BiPredicate<String, EntryMetadata> wanted, Path dir) {
    this.wanted = wanted;
    this.dir = dir;
  }

  boolean wants(String path, EntryMetadata metadata) {
    return wanted.test(path, metadata);
  }

  /** Copies one content, pending until its layer is {@linkplain #layerChecked checked}. */
  synchronized void keep(ContentRef ref, InputStream content) throws IOException {
    if (out == null) {
      Files.createDirectories(dir);
      file = Files.createTempFile(dir, "kept", ".bin");
      out = Files.newOutputStream(file, StandardOpenOption.APPEND);
    }
    long n = 0;
    for (int r; (r = content.read(copyBuffer)) > 0; n += r) {
      out.write(copyBuffer, 0, r);
    }
    pending.put(ref, new long[] {end, n});
    end += n;
  }

  /** The layer being read was read to its end and proved genuine: its copies may be used. */
  synchronized void layerChecked() throws IOException {
    if (out != null) {
      out.flush();
    }
    checked.putAll(pending);
    pending.clear();
  }

  /** The layer being read failed: its copies are never handed out. */
  synchronized void layerFailed() {
    pending.clear();
  }

  /** The tree is read: no more copies are made. */
  synchronized void finish() throws IOException {
    pending.clear();
    if (out != null) {
      out.close();
      out = null;
    }
  }

  synchronized boolean has(ContentRef ref) {
    return checked.containsKey(ref);
  }

  /** The size of {@code ref}'s kept content (which {@link #has} it). */
  synchronized long size(ContentRef ref) {
    return checked.get(ref)[1];
  }

  /** The kept content of {@code ref} (which {@link #has} it); the caller closes the stream. */
  InputStream open(ContentRef ref) throws IOException {
    return Channels.newInputStream(channel(ref));
  }

  /** The kept content of {@code ref} (which {@link #has} it) as a channel of its own. */
  SeekableByteChannel channel(ContentRef ref) throws IOException {
    long[] range;
    synchronized (this) {
      range = checked.get(ref);
    }
    return new RangeChannel(FileChannel.open(file, StandardOpenOption.READ), range[0], range[1]);
  }

  @Override
  public synchronized void close() throws IOException {
    finish();
    checked.clear();
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
