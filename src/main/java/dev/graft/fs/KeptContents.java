package dev.graft.fs;

import dev.graft.layer.EntryMetadata;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
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
  private final AppendFile file;
  private final Map<ContentRef, AppendFile.Range> pending = new HashMap<>(); // of the layer being read
  private final Map<ContentRef, AppendFile.Range> checked = new HashMap<>();

  /** Keeps files whose path in the tree and metadata {@code wanted} accepts, in a temp file in {@code dir}. */
  public KeptContents(BiPredicate<String, EntryMetadata> wanted, Path dir) {
    this.wanted = wanted;
    this.file = new AppendFile(dir, "kept");
  }

  boolean wants(String path, EntryMetadata metadata) {
    return wanted.test(path, metadata);
  }

  /** Copies one content, pending until its layer is {@linkplain #layerChecked checked}. */
  synchronized void keep(ContentRef ref, InputStream content) throws IOException {
    pending.put(ref, file.append(content));
  }

  /** The layer being read was read to its end and proved genuine: its copies may be used. */
  synchronized void layerChecked() throws IOException {
    file.flush();
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
    file.finishWriting();
  }

  synchronized boolean has(ContentRef ref) {
    return checked.containsKey(ref);
  }

  /** The size of {@code ref}'s kept content (which {@link #has} it). */
  synchronized long size(ContentRef ref) {
    return checked.get(ref).length();
  }

  /** The kept content of {@code ref} (which {@link #has} it); the caller closes the stream. */
  InputStream open(ContentRef ref) throws IOException {
    return Channels.newInputStream(channel(ref));
  }

  /** The kept content of {@code ref} (which {@link #has} it) as a channel of its own. */
  synchronized SeekableByteChannel channel(ContentRef ref) throws IOException {
    return file.channel(checked.get(ref));
  }

  @Override
  public synchronized void close() throws IOException {
    pending.clear();
    checked.clear();
    file.close();
  }
}
