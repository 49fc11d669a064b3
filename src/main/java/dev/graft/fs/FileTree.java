package dev.graft.fs;

import dev.graft.layer.LayerBlob;
import dev.graft.layer.TarEntry;
import dev.graft.layer.TarPaths;
import dev.graft.layer.TarReader;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The merged, read-only filesystem of an image: its layers applied in order. Built by streaming
 * each layer once for metadata; file contents stay in the layers and are read on demand.
 */
public final class FileTree {
  private final List<LayerBlob> layers;
  private final NavigableMap<String, TreeEntry> nodes;

  FileTree(List<LayerBlob> layers, NavigableMap<String, TreeEntry> nodes) {
    this.layers = List.copyOf(layers);
    this.nodes = Collections.unmodifiableNavigableMap(new TreeMap<>(nodes));
  }

  /** The merged view of an image's layers, streamed from its source (digests verified). */
  public static FileTree read(ImageSource source, Manifest manifest) throws IOException {
    List<LayerBlob> blobs = new ArrayList<>();
    for (Descriptor d : manifest.layers()) {
      blobs.add(new LayerBlob(d.digest().toString(), () -> source.openBlob(d)));
    }
    return of(blobs);
  }

  /**
   * As {@link #read(ImageSource, Manifest)}, also checking each layer's uncompressed content
   * against the diffID its image config names: a layer that is not what the config says is refused.
   */
  public static FileTree read(ImageSource source, Manifest manifest, List<dev.graft.oci.Digest> diffIds)
      throws IOException {
    if (diffIds.size() != manifest.layers().size()) {
      throw new dev.graft.oci.OciFormatException(source.ref() + ": its config lists " + diffIds.size()
          + " diff_ids for " + manifest.layers().size() + " layers");
    }
    List<LayerBlob> blobs = new ArrayList<>();
    for (Descriptor d : manifest.layers()) {
      blobs.add(new LayerBlob(d.digest().toString(), () -> source.openBlob(d)));
    }
    return of(blobs, diffIds);
  }

  /** The merged view of layers given as streams, lowest first. */
  public static FileTree of(List<LayerBlob> layers) throws IOException {
    return of(layers, null);
  }

  private static FileTree of(List<LayerBlob> layers, List<dev.graft.oci.Digest> diffIds) throws IOException {
    FileTreeBuilder builder = new FileTreeBuilder();
    for (int i = 0; i < layers.size(); i++) {
      LayerBlob layer = layers.get(i);
      if (diffIds == null) {
        try (TarReader reader = layer.openTar()) {
          builder.apply(i, reader);
        }
        continue;
      }
      try (DiffIdCheck check = new DiffIdCheck(layer.openUncompressed(), diffIds.get(i), layer.name());
          TarReader reader = new TarReader(check, layer.name())) {
        builder.apply(i, reader);
        check.verifyToEnd();
      }
    }
    return builder.build(layers);
  }

  public List<LayerBlob> layers() {
    return layers;
  }

  /** The node at exactly this path (symlinks on the way are not followed). */
  public Optional<TreeEntry> lookup(String path) {
    return Optional.ofNullable(nodes.get(TarPaths.clean(path)));
  }

  /**
   * Resolves symlinks in {@code path} inside the image root (absolute targets restart at the
   * image root; {@code ..} stops there). The final component is followed only when asked.
   * Missing components are kept as written.
   *
   * @throws SymlinkLoopException after 40 symlinks
   */
  public String resolve(String path, boolean followFinal) {
    return Resolver.resolve(nodes::get, path, followFinal);
  }

  /** The node a path names, following symlinks (like {@code stat}). */
  public Optional<TreeEntry> find(String path) {
    return Optional.ofNullable(nodes.get(resolve(path, true)));
  }

  /** The direct children of a directory, sorted by name; empty when it is not a directory. */
  public List<TreeEntry> list(String dir) {
    String d = TarPaths.clean(dir);
    String prefix = d.equals("/") ? "/" : d + "/";
    List<TreeEntry> out = new ArrayList<>();
    for (TreeEntry n : nodes.subMap(prefix, false, prefix + Character.MAX_VALUE, false).values()) {
      if (n.path().indexOf('/', prefix.length()) < 0) {
        out.add(n);
      }
    }
    return out;
  }

  /** Every node at or below {@code dir}, parents before children. */
  public Stream<TreeEntry> walk(String dir) {
    String d = TarPaths.clean(dir);
    if (d.equals("/")) {
      return nodes.values().stream();
    }
    Stream<TreeEntry> self = Optional.ofNullable(nodes.get(d)).stream();
    return Stream.concat(self, nodes.subMap(d + "/", false, d + "/" + Character.MAX_VALUE, false).values().stream());
  }

  public int size() {
    return nodes.size();
  }

  /**
   * Opens one file's content by streaming its layer up to it. Closing the stream reads the layer
   * to its end, so the source verifies the layer digest: the bytes handed out are the image's,
   * even from a source that could answer differently the second time. For many files use
   * {@link #readContents}, which reads each layer once.
   */
  public InputStream openContent(TreeEntry node) throws IOException {
    ContentRef ref = requireContent(node);
    TarReader reader = layers.get(ref.layer()).openTar();
    try {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        if (e.ordinal() == ref.ordinal()) {
          return new FilterInputStream(reader.content()) {
            @Override
            public void close() throws IOException {
              try {
                while (reader.next() != null) {
                  // drain: the digest is checked at the end of the stream
                }
              } finally {
                reader.close();
              }
            }
          };
        }
      }
      throw new IOException("layer " + reader.layer() + " no longer has entry " + ref.ordinal() + " for " + node.path());
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Receives file contents during {@link #readContents}. */
  @FunctionalInterface
  public interface ContentVisitor {
    void accept(ContentRef ref, long size, InputStream content) throws IOException;
  }

  /**
   * Streams each layer holding any of these files once, in layer order, handing each distinct
   * content (hardlinks share one) to the visitor exactly once. Each layer is read to its end so
   * its digest is verified before this returns (a visitor should not publish what it got until then).
   */
  public void readContents(Collection<TreeEntry> files, ContentVisitor visitor) throws IOException {
    Map<Integer, Map<Long, TreeEntry>> byLayer = new TreeMap<>();
    for (TreeEntry n : files) {
      ContentRef ref = requireContent(n);
      byLayer.computeIfAbsent(ref.layer(), k -> new HashMap<>()).putIfAbsent(ref.ordinal(), n);
    }
    for (Map.Entry<Integer, Map<Long, TreeEntry>> layer : byLayer.entrySet()) {
      Map<Long, TreeEntry> wanted = layer.getValue();
      int found = 0;
      try (TarReader reader = layers.get(layer.getKey()).openTar()) {
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
          if (wanted.containsKey(e.ordinal())) {
            visitor.accept(new ContentRef(layer.getKey(), e.ordinal()), e.size(), reader.content());
            found++;
          }
        }
      }
      if (found < wanted.size()) {
        throw new IOException("layer " + layers.get(layer.getKey()).name() + " changed while being read");
      }
    }
  }

  private static ContentRef requireContent(TreeEntry node) {
    if (node.content() == null) {
      throw new IllegalArgumentException(node.path() + " is a " + node.type() + ", not a regular file");
    }
    return node.content();
  }
}
