package dev.graft.fs;

import dev.graft.layer.CacheFile;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerBlob;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The merged file listing of an image, kept by the digests of its layers: reading a base or
 * builder image means streaming (and often downloading) every layer, yet layers never change under
 * their digests. Contents are not kept: a file's bytes are still read from the image when needed.
 * Entries are written atomically; an unreadable one is read from the image again.
 */
public final class FileTreeCache {
  private static final String FORMAT = "graft-tree-v2"; // v2: nodes depth first (parents before children)
  private static final int MAX_NODES = 20_000_000;

  private final Path dir;

  public FileTreeCache(Path cacheDir) {
    this.dir = cacheDir.resolve("trees");
  }

  /** The image's merged tree, from the cache when known, else read (digests checked) and remembered. */
  public FileTree read(ImageSource source, Manifest manifest, List<Digest> diffIds) throws IOException {
    return read(source, manifest, diffIds, null);
  }

  /**
   * As above; when the image is read (not found in the cache), the contents {@code kept} wants are
   * copied on the way ({@link FileTree#of(List, KeptContents)}). Null keeps nothing.
   */
  public FileTree read(ImageSource source, Manifest manifest, List<Digest> diffIds, KeptContents kept)
      throws IOException {
    List<LayerBlob> blobs = FileTree.layersOf(source, manifest, diffIds);
    String key = key(manifest, diffIds);
    Optional<FileTree> cached = load(key, blobs);
    if (cached.isPresent()) {
      return cached.get();
    }
    FileTree tree = FileTree.of(blobs, kept);
    try {
      store(key, tree);
    } catch (IOException e) {
      // the cache is an optimisation: the next build reads the image again
    }
    return tree;
  }

  /**
   * The tree cached under {@code key} ({@link #key}), for its paths, types, modes and links only:
   * its contents cannot be read (the image it came from is not at hand). What a rebuild places its
   * local files onto while the base is still being resolved; empty when not cached.
   */
  public Optional<FileTree> recallShape(String key, List<String> layerDigests) {
    List<LayerBlob> blobs = new ArrayList<>();
    for (String d : layerDigests) {
      blobs.add(new LayerBlob(d, () -> {
        throw new IOException("layer " + d + " of a remembered base tree cannot be read");
      }));
    }
    return load(key, blobs);
  }

  /** The cache key of an image's tree: its layer digests and diff IDs. */
  public static String key(Manifest manifest, List<Digest> diffIds) {
    StringBuilder sb = new StringBuilder(FORMAT).append('\n');
    manifest.layers().forEach(d -> sb.append(d.digest()).append('\n'));
    diffIds.forEach(d -> sb.append("diff ").append(d).append('\n'));
    MessageDigest md = Digest.newSha256();
    md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  private Optional<FileTree> load(String key, List<LayerBlob> blobs) {
    return CacheFile.read(dir.resolve(key), FORMAT, in -> {
      int n = CacheFile.readCount(in, MAX_NODES);
      FileTreeBuilder builder = new FileTreeBuilder();
      for (int i = 0; i < n; i++) {
        String path = CacheFile.readString(in);
        EntryMetadata metadata = CacheFile.readMetadata(in);
        int layer = in.readInt();
        long ordinal = in.readLong();
        if (layer >= blobs.size()) {
          throw new IOException("layer " + layer + " out of range");
        }
        ContentRef ref = layer < 0 ? null : new ContentRef(layer, ordinal);
        builder.restore(new TreeEntry(path, metadata, ref));
      }
      return builder.build(blobs);
    });
  }

  /** Streams the tree into the entry, one node at a time (a huge tree is never listed in memory). */
  private void store(String key, FileTree tree) throws IOException {
    CacheFile.write(dir, key, FORMAT, out -> {
      out.writeInt(tree.size());
      try (java.util.stream.Stream<TreeEntry> nodes = tree.walk("/")) {
        for (TreeEntry n : (Iterable<TreeEntry>) nodes::iterator) {
          CacheFile.writeString(out, n.path());
          CacheFile.writeMetadata(out, n.metadata());
          out.writeInt(n.content() == null ? -1 : n.content().layer());
          out.writeLong(n.content() == null ? 0 : n.content().ordinal());
        }
      }
    });
  }
}
