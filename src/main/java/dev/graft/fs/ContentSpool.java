package dev.graft.fs;

import dev.graft.layer.ContentSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives selected files' contents to a layer writer without keeping them in memory and without
 * reading a source layer once per file: on first use, each source layer holding registered files
 * is streamed once and their bytes are copied into one temp file, then read back by range. A file
 * registered later is spooled on its first read together with every other file registered and not
 * yet spooled (appended; what is spooled is never read again), so callers that register a batch
 * before reading it (all package.json files of a node_modules tree) pay one pass per layer.
 */
public final class ContentSpool implements Closeable {
  private final FileTree tree;
  private final AppendFile file;
  private final Map<ContentRef, TreeEntry> registered = new LinkedHashMap<>();
  private final Map<ContentRef, AppendFile.Range> ranges = new HashMap<>();

  public ContentSpool(FileTree tree, Path tempDir) {
    this.tree = tree;
    this.file = new AppendFile(tempDir, "spool");
  }

  /** A content source for a file node; its identity names the source layer and entry. */
  public ContentSource source(TreeEntry node) {
    ContentRef ref = node.content();
    if (ref == null) {
      throw new IllegalArgumentException(node.path() + " has no content");
    }
    synchronized (this) {
      registered.putIfAbsent(ref, node);
    }
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

  /** Registers files to be spooled in the same pass as the next one read (no content is read here). */
  public synchronized void register(java.util.Collection<TreeEntry> nodes) {
    for (TreeEntry n : nodes) {
      if (n.content() != null) {
        registered.putIfAbsent(n.content(), n);
      }
    }
  }

  private synchronized SeekableByteChannel channel(ContentRef ref) throws IOException {
    Optional<SeekableByteChannel> kept = tree.keptContent(ref); // copied as the tree was read: not again
    if (kept.isPresent()) {
      return kept.get();
    }
    if (!ranges.containsKey(ref)) {
      spool();
    }
    return file.channel(ranges.get(ref));
  }

  private InputStream open(ContentRef ref) throws IOException {
    return Channels.newInputStream(channel(ref));
  }

  /** Spools every registered file not spooled yet, in one pass over each layer holding one. */
  private void spool() throws IOException {
    List<TreeEntry> pending = new ArrayList<>();
    registered.forEach((ref, node) -> {
      if (!ranges.containsKey(ref) && !tree.isKept(ref)) {
        pending.add(node);
      }
    });
    Map<ContentRef, AppendFile.Range> added = new HashMap<>();
    try {
      tree.readContents(pending, (ref, size, in) -> added.put(ref, file.append(in)));
    } finally {
      file.finishWriting();
    }
    ranges.putAll(added); // only once every layer read was verified to its end
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }
}
