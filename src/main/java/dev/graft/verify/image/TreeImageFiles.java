package dev.graft.verify.image;

import dev.graft.fs.ContentSpool;
import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.ContentSource;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The verifier's view ({@link ImageFiles}) of an image's merged layers ({@link FileTree}), with
 * new layer entries on top while an image is being built. A hardlink is a regular file (it shares
 * its target's content). New files are read from where the layer writer reads them (spool or host
 * file), so verifying never re-reads layers just written. graft's layers only add (no whiteouts,
 * and placement never replaces a base directory), so "newest entry at the exact path, else the
 * tree's" is the merged view.
 *
 * <p>How the tree's own files are read is the caller's choice: {@link #of} spills what verification
 * reads in one pass per layer on first use ({@code graft verify}); {@link #overlay} reads through a
 * {@link ContentSpool} the caller filled beforehand, or streams the layer per file.
 */
public final class TreeImageFiles implements ImageFiles, Closeable {
  /** Where the bytes of the tree's regular files come from. */
  interface TreeContents {
    InputStream open(TreeEntry file) throws IOException;

    /** Random access when the bytes lie in a file; empty to read into memory. */
    Optional<SeekableByteChannel> openChannel(TreeEntry file) throws IOException;
  }

  private final FileTree tree;
  private final TreeContents contents;
  private final TreeMap<String, LayerEntry> added = new TreeMap<>();

  private TreeImageFiles(FileTree tree, List<List<LayerEntry>> layers, TreeContents contents) {
    this.tree = tree;
    this.contents = contents;
    for (List<LayerEntry> layer : layers) {
      for (LayerEntry e : layer) {
        added.put(e.path(), e);
      }
    }
  }

  /** An image as it is; close it to remove the files spilled for reading. */
  public static TreeImageFiles of(FileTree tree) {
    return new TreeImageFiles(tree, List.of(), new SpilledContents(tree));
  }

  /** {@code layers} (in order) on top of {@code tree}; the tree's files are streamed per open. */
  public static TreeImageFiles overlay(FileTree tree, List<List<LayerEntry>> layers) {
    return overlay(tree, layers, null);
  }

  /**
   * {@code layers} on top of {@code tree}, the tree's files read through {@code spool} (null:
   * streamed per open): files registered there before the first read come from one pass over their
   * layer, where {@link FileTree#openContent} streams the layer once per file.
   */
  public static TreeImageFiles overlay(FileTree tree, List<List<LayerEntry>> layers, ContentSpool spool) {
    return new TreeImageFiles(tree, layers, spool == null ? new Streamed(tree) : new Spooled(spool));
  }

  @Override
  public Optional<Entry> lstat(String absPath) {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    if (e != null) {
      return Optional.of(entry(e.metadata()));
    }
    Optional<TreeEntry> n = tree.lookup(p);
    if (n.isEmpty() && p.equals("/")) {
      return Optional.of(new Entry(Type.DIRECTORY, null, 0755, 0));
    }
    return n.map(t -> entry(t.metadata()));
  }

  private static Entry entry(EntryMetadata m) {
    return switch (m.type()) {
      case FILE, HARDLINK -> new Entry(Type.FILE, null, m.mode(), m.size());
      case DIR -> new Entry(Type.DIRECTORY, null, m.mode(), 0);
      case SYMLINK -> new Entry(Type.SYMLINK, m.linkTarget(), m.mode(), 0);
      default -> new Entry(Type.OTHER, null, m.mode(), 0);
    };
  }

  @Override
  public InputStream open(String absPath) throws IOException {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    if (e != null) {
      if (e.content() == null) {
        throw new IOException(p + " is not a regular file in the new image");
      }
      return e.content().open();
    }
    return contents.open(regular(p));
  }

  /** Spooled, spilled and host files are read where they lie: parsing node's ELF never copies 100 MB into the heap. */
  @Override
  public SeekableByteChannel openChannel(String absPath) throws IOException {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    Optional<SeekableByteChannel> ch;
    if (e != null) {
      ch = e.content() == null ? Optional.empty() : e.content().openChannel();
    } else {
      Optional<TreeEntry> n = tree.lookup(p).filter(t -> t.metadata().isRegular() && t.content() != null);
      ch = n.isEmpty() ? Optional.empty() : contents.openChannel(n.get());
    }
    return ch.isPresent() ? ch.get() : ImageFiles.super.openChannel(absPath);
  }

  private TreeEntry regular(String p) throws IOException {
    return tree.lookup(p).filter(e -> e.metadata().isRegular())
        .orElseThrow(() -> new IOException(p + ": no such regular file in the image"));
  }

  @Override
  public Optional<String> contentId(String absPath) {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    if (e != null) {
      return e.content() == null ? Optional.empty() : Optional.of(e.content().identity());
    }
    return tree.lookup(p).filter(n -> n.metadata().isRegular() && n.content() != null)
        .map(n -> tree.layers().get(n.content().layer()).name() + "#" + n.content().ordinal());
  }

  @Override
  public List<String> list(String absPath) {
    String d = TarPaths.clean(absPath);
    TreeSet<String> names = new TreeSet<>();
    tree.list(d).forEach(n -> names.add(n.name()));
    String prefix = d.equals("/") ? "/" : d + "/";
    for (Map.Entry<String, LayerEntry> e : added.subMap(prefix, false, prefix + Character.MAX_VALUE, false).entrySet()) {
      if (e.getKey().indexOf('/', prefix.length()) < 0) {
        names.add(e.getKey().substring(prefix.length()));
      }
    }
    return List.copyOf(names);
  }

  /** Removes what was spilled for reading (nothing for an overlay: its spool is the caller's). */
  @Override
  public void close() {
    if (contents instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** Each open streams the file's layer up to it (and to its end, so the layer digest is checked). */
  private record Streamed(FileTree tree) implements TreeContents {
    @Override
    public InputStream open(TreeEntry file) throws IOException {
      return tree.openContent(file);
    }

    @Override
    public Optional<SeekableByteChannel> openChannel(TreeEntry file) {
      return Optional.empty();
    }
  }

  /** Through a spool the caller owns and closes. */
  private record Spooled(ContentSpool spool) implements TreeContents {
    @Override
    public InputStream open(TreeEntry file) throws IOException {
      return spool.source(file).open();
    }

    @Override
    public Optional<SeekableByteChannel> openChannel(TreeEntry file) throws IOException {
      ContentSource c = spool.source(file);
      return c.openChannel();
    }
  }
}
