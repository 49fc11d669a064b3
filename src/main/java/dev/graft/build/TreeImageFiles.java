package dev.graft.build;

import dev.graft.fs.FileTree;
import dev.graft.fs.Node;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.TarPaths;
import dev.graft.verify.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
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
final class TreeImageFiles implements ImageFiles, java.io.Closeable {
  private final FileTree tree;
  private final TreeMap<String, LayerEntry> added = new TreeMap<>();
  private final java.nio.file.Path spoolDir;
  private dev.graft.fs.ContentSpool libraries;
  private final Map<String, dev.graft.layer.ContentSource> librarySources = new java.util.HashMap<>();

  /**
   * {@code spoolDir} (may be null) lets the first shared library read from the tree bring every
   * {@code *.so*} of the tree to disk in one pass: a loader emulation opens a dozen libraries, and
   * reading a file out of a layer otherwise streams (and checks) the whole layer each time.
   */
  TreeImageFiles(FileTree tree, List<List<LayerEntry>> layers, java.nio.file.Path spoolDir) {
    this.tree = tree;
    this.spoolDir = spoolDir;
    for (List<LayerEntry> layer : layers) {
      for (LayerEntry e : layer) {
        added.put(e.path(), e);
      }
    }
  }


  @Override
  public Optional<Entry> lstat(String absPath) {
    String p = TarPaths.clean(absPath);
    LayerEntry e = added.get(p);
    if (e != null) {
      return Optional.of(entry(e.type(), e.linkTarget(), e.mode(), e.size()));
    }
    for (String a = TarPaths.parent(p); !a.equals("/"); a = TarPaths.parent(a)) {
      LayerEntry ancestor = added.get(a);
      if (ancestor != null && ancestor.type() != EntryType.DIR) {
        return Optional.empty(); // a new file or link replaced a directory of the tree: its old children are gone
      }
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
    Node n = tree.lookup(p).filter(Node::isRegular)
        .orElseThrow(() -> new IOException(p + ": no such file in the image"));
    if (spoolDir != null && n.name().contains(".so")) {
      return library(n).open();
    }
    return tree.openContent(n);
  }

  private synchronized dev.graft.layer.ContentSource library(Node n) {
    if (libraries == null) {
      libraries = new dev.graft.fs.ContentSpool(tree, spoolDir);
      tree.walk("/").filter(x -> x.isRegular() && x.name().contains(".so"))
          .forEach(x -> librarySources.put(x.path(), libraries.source(x)));
    }
    return librarySources.computeIfAbsent(n.path(), k -> libraries.source(n));
  }

  @Override
  public synchronized void close() throws IOException {
    if (libraries != null) {
      libraries.close();
    }
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
