package dev.graft.assemble;

import dev.graft.fs.ContentSpool;
import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.ContentSource;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import dev.graft.verify.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The verifier's view ({@link ImageFiles}) of an image being built: a merged {@link FileTree}
 * (the base, or the builder) with graft's new entries on top. New files are read from where the
 * layer writer reads them (spool or local file), so verifying never re-reads the layers just
 * written. graft's layers only add (no whiteouts, and placement never replaces a base directory),
 * so "newest entry at the exact path, else the tree's" is the merged view.
 */
final class TreeImageFiles implements ImageFiles {
  private final FileTree tree;
  private final ContentSpool spool; // null: the tree's files are streamed from their layer per open
  private final TreeMap<String, LayerEntry> added = new TreeMap<>();

  TreeImageFiles(FileTree tree, List<List<LayerEntry>> layers) {
    this(tree, layers, null);
  }

  /**
   * With a spool, the tree's files are read through it: files registered there before the first
   * read come from one pass over their layer, where {@link FileTree#openContent} streams the
   * layer once per file (the closure opens a handful of libraries one by one).
   */
  TreeImageFiles(FileTree tree, List<List<LayerEntry>> layers, ContentSpool spool) {
    this.tree = tree;
    this.spool = spool;
    for (List<LayerEntry> layer : layers) {
      for (LayerEntry e : layer) {
        added.put(e.path(), e);
      }
    }
  }

  static TreeImageFiles of(FileTree tree) {
    return new TreeImageFiles(tree, List.of());
  }

  @Override
  public Optional<Entry> lstat(String absPath) {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    if (e != null) {
      return Optional.of(entry(e.type(), e.linkTarget(), e.mode(), e.size()));
    }
    return tree.lookup(p).map(n -> entry(n.type(), n.linkTarget(), n.mode(), n.size()));
  }

  private static Entry entry(EntryType type, String link, int mode, long size) {
    return switch (type) {
      case FILE, HARDLINK -> new Entry(Type.FILE, null, mode, size);
      case DIR -> new Entry(Type.DIRECTORY, null, mode, 0);
      case SYMLINK -> new Entry(Type.SYMLINK, link, mode, 0);
      default -> new Entry(Type.OTHER, null, mode, 0);
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
    TreeEntry n = tree.lookup(p).filter(TreeEntry::isRegular)
        .orElseThrow(() -> new IOException(p + ": no such file in the image"));
    return spool != null ? spool.source(n).open() : tree.openContent(n);
  }

  /** Spooled and host files are read where they lie: parsing node's ELF never copies 100 MB into the heap. */
  @Override
  public SeekableByteChannel openChannel(String absPath) throws IOException {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    ContentSource content = e != null ? e.content()
        : spool == null ? null : tree.lookup(p).filter(n -> n.isRegular() && n.content() != null).map(spool::source).orElse(null);
    if (content != null) {
      Optional<SeekableByteChannel> ch = content.openChannel();
      if (ch.isPresent()) {
        return ch.get();
      }
    }
    return ImageFiles.super.openChannel(absPath);
  }

  @Override
  public Optional<String> contentId(String absPath) {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    if (e != null) {
      return e.content() == null ? Optional.empty() : Optional.of(e.content().identity());
    }
    return tree.lookup(p).filter(n -> n.isRegular() && n.content() != null)
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
    if (names.isEmpty()) {
      return List.of();
    }
    return List.copyOf(names);
  }
}
