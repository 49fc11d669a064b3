package dev.graft.fs;

import dev.graft.layer.LayerBlob;
import dev.graft.layer.TarEntry;
import dev.graft.layer.TarPaths;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.StagingDir;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The merged, read-only filesystem of an image: its layers applied in order. Built by streaming
 * each layer once for metadata; file contents stay in the layers and are read on demand.
 */
public final class FileTree {
  /** {@link #openContent} keeps contents up to this size in memory, larger ones in a temp file. */
  static final int IN_MEMORY_CONTENT = 1 << 20;

  private final List<LayerBlob> layers;
  private final TreeIndex index; // frozen: read-only, children sorted by name
  private final KeptContents kept; // null: every content is read from its layer

  FileTree(List<LayerBlob> layers, TreeIndex index) {
    this(layers, index, null);
  }

  FileTree(List<LayerBlob> layers, TreeIndex index, KeptContents kept) {
    this.layers = List.copyOf(layers);
    this.index = index;
    this.kept = kept;
  }

  /**
   * The merged view of an image's layers, streamed from its source. Each layer is checked as it is
   * read, now and on every later read of its contents: size and digest against the manifest, the
   * uncompressed tar against the diffID its image config names (a layer that is not what the
   * config says is refused).
   */
  public static FileTree read(ImageSource source, Manifest manifest, List<Digest> diffIds) throws IOException {
    return of(layersOf(source, manifest, diffIds));
  }

  /** The image's layers as {@link LayerBlob}s that check digest, size and diffID on every read. */
  public static List<LayerBlob> layersOf(ImageSource source, Manifest manifest, List<Digest> diffIds)
      throws OciFormatException {
    if (diffIds.size() != manifest.layers().size()) {
      throw new OciFormatException(source.ref() + ": its config lists " + diffIds.size()
          + " diff_ids for " + manifest.layers().size() + " layers");
    }
    List<LayerBlob> blobs = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor d = manifest.layers().get(i);
      blobs.add(new LayerBlob(d.digest().toString(), () -> source.openBlob(d), diffIds.get(i)));
    }
    return blobs;
  }

  /** The merged view of layers given as streams, lowest first. */
  public static FileTree of(List<LayerBlob> layers) throws IOException {
    return of(layers, null);
  }

  /**
   * As {@link #of(List)}, copying the contents {@code kept} wants as the layers stream by, so that
   * reading them later ({@link #readContents}, {@link #openContent}) does not read those layers again.
   */
  public static FileTree of(List<LayerBlob> layers, KeptContents kept) throws IOException {
    FileTreeBuilder builder = new FileTreeBuilder(kept);
    try {
      for (int i = 0; i < layers.size(); i++) {
        int index = i;
        try {
          layers.get(i).read(reader -> {
            builder.apply(index, reader);
            return null;
          });
        } catch (IOException | RuntimeException e) {
          if (kept != null) {
            kept.layerFailed();
          }
          throw e;
        }
        if (kept != null) {
          kept.layerChecked();
        }
      }
    } finally {
      if (kept != null) {
        kept.finish();
      }
    }
    return builder.build(layers);
  }

  public List<LayerBlob> layers() {
    return layers;
  }

  /** The node at exactly this path (symlinks on the way are not followed). */
  public Optional<TreeEntry> lookup(String path) {
    String clean = TarPaths.clean(path);
    int id = index.find(clean);
    return id < 0 ? Optional.empty() : Optional.of(index.node(id, clean));
  }

  /**
   * Resolves symlinks in {@code path} inside the image root (absolute targets restart at the
   * image root; {@code ..} stops there). The final component is followed only when asked.
   * Missing components are kept as written.
   *
   * @throws SymlinkLoopException after 40 symlinks
   */
  public String resolve(String path, boolean followFinal) {
    return Resolver.resolve(p -> {
      int id = index.find(p);
      return id < 0 ? null : index.symlinkTarget(id);
    }, path, followFinal);
  }

  /** The node a path names, following symlinks (like {@code stat}). */
  public Optional<TreeEntry> find(String path) {
    return lookup(resolve(path, true));
  }

  /** The direct children of a directory, sorted by name; empty when it is not a directory. */
  public List<TreeEntry> list(String dir) {
    String d = TarPaths.clean(dir);
    int id = index.find(d);
    List<TreeEntry> out = new ArrayList<>();
    if (id < 0) {
      return out;
    }
    for (int c = index.firstChild(id); c >= 0; c = index.nextSibling(c)) {
      out.add(index.node(c, TarPaths.join(d, index.name(c))));
    }
    return out;
  }

  /**
   * Every node at or below {@code dir}, depth first, parents before children, siblings sorted by
   * name. Nodes are made as the stream is consumed, so walking a huge tree holds one path at a time.
   */
  public Stream<TreeEntry> walk(String dir) {
    String d = TarPaths.clean(dir);
    int id = index.find(d);
    if (id < 0) {
      return Stream.empty();
    }
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new Walk(id, d),
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  public int size() {
    return index.size();
  }

  /** Depth-first over the index, keeping the path of each open directory. */
  private final class Walk implements Iterator<TreeEntry> {
    private final int top;
    private final java.util.ArrayDeque<String> dirs = new java.util.ArrayDeque<>();
    private int next;
    private String nextPath;

    Walk(int top, String topPath) {
      this.top = top;
      this.next = top;
      this.nextPath = topPath;
    }

    @Override
    public boolean hasNext() {
      return next >= 0;
    }

    @Override
    public TreeEntry next() {
      if (next < 0) {
        throw new java.util.NoSuchElementException();
      }
      int id = next;
      String path = nextPath;
      TreeEntry node = index.node(id, path);
      advance(id, path);
      return node;
    }

    private void advance(int id, String path) {
      int child = index.firstChild(id);
      if (child >= 0) {
        dirs.push(path);
        next = child;
        nextPath = TarPaths.join(path, index.name(child));
        return;
      }
      for (int at = id; at != top; at = index.parent(at)) {
        int sibling = index.nextSibling(at);
        if (sibling >= 0) {
          next = sibling;
          nextPath = TarPaths.join(dirs.peek(), index.name(sibling));
          return;
        }
        dirs.pop();
      }
      next = -1;
    }
  }

  /**
   * The content of {@code ref} when it was copied as the tree was read ({@link KeptContents}),
   * from that copy: its layer is not read again. Empty when it was not kept.
   */
  public Optional<SeekableByteChannel> keptContent(ContentRef ref) throws IOException {
    return isKept(ref) ? Optional.of(kept.channel(ref)) : Optional.empty();
  }

  boolean isKept(ContentRef ref) {
    return kept != null && kept.has(ref);
  }

  /**
   * One file's content, handed out only after its whole layer was read and proved genuine (the
   * source could answer differently than when the tree was read): kept in memory up to
   * {@link #IN_MEMORY_CONTENT} bytes, else in a temp file removed when the stream is closed. For
   * many files use {@link #readContents}, which reads each layer once.
   */
  public InputStream openContent(TreeEntry node) throws IOException {
    ContentRef ref = requireContent(node);
    if (isKept(ref)) {
      return kept.open(ref);
    }
    LayerBlob layer = layers.get(ref.layer());
    StagingDir[] spilled = new StagingDir[1];
    try {
      byte[] bytes = layer.read(reader -> {
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
          if (e.ordinal() == ref.ordinal()) {
            if (e.metadata().size() <= IN_MEMORY_CONTENT) {
              return reader.content().readAllBytes();
            }
            spilled[0] = StagingDir.create(Path.of(System.getProperty("java.io.tmpdir")), "graft-content-");
            try (OutputStream out = Files.newOutputStream(spilled[0].path().resolve("content"))) {
              reader.content().transferTo(out);
            }
            return null;
          }
        }
        throw new IOException("layer " + layer.name() + " no longer has entry " + ref.ordinal() + " for " + node.path());
      });
      if (bytes != null) {
        return new ByteArrayInputStream(bytes);
      }
      StagingDir staged = spilled[0];
      return new java.io.FilterInputStream(Files.newInputStream(staged.path().resolve("content"))) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            staged.close();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      if (spilled[0] != null) {
        spilled[0].close();
      }
      throw e;
    }
  }

  /** Receives file contents during {@link #readContents}. */
  @FunctionalInterface
  public interface ContentVisitor {
    /**
     * Stages one content (copies it somewhere private). Nothing staged may be used or published
     * before {@link #readContents} returns: only then were the layers it came from read to their
     * end and checked.
     */
    void accept(ContentRef ref, long size, InputStream content) throws IOException;
  }

  /**
   * Streams each layer holding any of these files once, in layer order, handing each distinct
   * content (hardlinks share one) to the visitor exactly once. Returns only when every layer read
   * was checked to its last byte (digest, size, diffID); on a failure the visitor's staged copies
   * must be thrown away.
   */
  public void readContents(Collection<TreeEntry> files, ContentVisitor visitor) throws IOException {
    Map<Integer, Map<Long, TreeEntry>> byLayer = new TreeMap<>();
    for (TreeEntry n : files) {
      ContentRef ref = requireContent(n);
      byLayer.computeIfAbsent(ref.layer(), k -> new HashMap<>()).putIfAbsent(ref.ordinal(), n);
    }
    for (Map.Entry<Integer, Map<Long, TreeEntry>> layer : byLayer.entrySet()) {
      Map<Long, TreeEntry> wanted = layer.getValue();
      if (wanted.keySet().stream().allMatch(o -> isKept(new ContentRef(layer.getKey(), o)))) {
        for (Long ordinal : wanted.keySet()) { // copied, and checked, when the tree was read
          ContentRef ref = new ContentRef(layer.getKey(), ordinal);
          try (InputStream in = kept.open(ref)) {
            visitor.accept(ref, kept.size(ref), in);
          }
        }
        continue;
      }
      LayerBlob blob = layers.get(layer.getKey());
      int found = blob.read(reader -> {
        int n = 0;
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
          if (wanted.containsKey(e.ordinal())) {
            visitor.accept(new ContentRef(layer.getKey(), e.ordinal()), e.metadata().size(), reader.content());
            n++;
          }
        }
        return n;
      });
      if (found < wanted.size()) {
        throw new IOException("layer " + blob.name() + " changed while being read");
      }
    }
  }

  /** Receives every content of a tree during {@link #readEveryContent}. */
  @FunctionalInterface
  public interface EveryContentVisitor {
    /** As {@link ContentVisitor#accept}; {@code layerPath} is the entry's path in its layer's tar. */
    void accept(ContentRef ref, String layerPath, long size, InputStream content) throws IOException;
  }

  /**
   * Streams every layer that holds a file of the tree once, handing each content the tree still
   * has to the visitor once, without listing the files first (a tree of a million files is read in
   * the memory of one bit per entry). The same staging rule as {@link #readContents} applies.
   */
  public void readEveryContent(EveryContentVisitor visitor) throws IOException {
    java.util.BitSet[] wanted = index.contents(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      if (wanted[i].isEmpty()) {
        continue;
      }
      int layer = i;
      layers.get(i).read(reader -> {
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
          if (e.ordinal() <= Integer.MAX_VALUE && wanted[layer].get((int) e.ordinal())) {
            visitor.accept(new ContentRef(layer, e.ordinal()), e.path(), e.metadata().size(), reader.content());
          }
        }
        return null;
      });
    }
  }

  private static ContentRef requireContent(TreeEntry node) {
    if (node.content() == null) {
      throw new IllegalArgumentException(node.path() + " is a " + node.metadata().type() + ", not a regular file");
    }
    return node.content();
  }
}
