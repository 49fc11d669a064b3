package dev.graft.fs;

import dev.graft.layer.Bytes;
import dev.graft.layer.CacheFile;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerBlob;
import dev.graft.oci.Descriptor;
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
import java.util.TreeMap;

/**
 * The merged file listing of an image, kept by the digests of its layers: reading a base or
 * builder image means streaming (and often downloading) every layer, yet layers never change under
 * their digests. Contents are not kept: a file's bytes are still read from the image when needed.
 * Entries are written atomically; an unreadable one is read from the image again.
 */
public final class FileTreeCache {
  private static final String FORMAT = "graft-tree-v1";
  private static final int MAX_NODES = 20_000_000;

  private final Path dir;

  public FileTreeCache(Path cacheDir) {
    this.dir = cacheDir.resolve("trees");
  }

  /** The image's merged tree, from the cache when known, else read (digests checked) and remembered. */
  public FileTree read(ImageSource source, Manifest manifest, List<Digest> diffIds) throws IOException {
    List<LayerBlob> blobs = new ArrayList<>();
    for (Descriptor d : manifest.layers()) {
      blobs.add(new LayerBlob(d.digest().toString(), () -> source.openBlob(d)));
    }
    String key = key(manifest, diffIds);
    Optional<FileTree> cached = load(key, blobs);
    if (cached.isPresent()) {
      return cached.get();
    }
    FileTree tree = FileTree.read(source, manifest, diffIds);
    try {
      store(key, tree);
    } catch (IOException e) {
      // the cache is an optimisation: the next build reads the image again
    }
    return tree;
  }

  private static String key(Manifest manifest, List<Digest> diffIds) {
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
      TreeMap<String, Node> nodes = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        String path = CacheFile.readString(in);
        EntryType type = EntryType.valueOf(CacheFile.readString(in));
        int mode = in.readInt();
        long uid = in.readLong();
        long gid = in.readLong();
        long size = in.readLong();
        String link = CacheFile.readString(in);
        int major = in.readInt();
        int minor = in.readInt();
        int nx = CacheFile.readCount(in, 10_000);
        TreeMap<String, Bytes> xattrs = new TreeMap<>();
        for (int x = 0; x < nx; x++) {
          xattrs.put(CacheFile.readString(in), new Bytes(CacheFile.readBytes(in)));
        }
        int layer = in.readInt();
        long ordinal = in.readLong();
        if (layer >= blobs.size()) {
          throw new IOException("layer " + layer + " out of range");
        }
        ContentRef ref = layer < 0 ? null : new ContentRef(layer, ordinal);
        nodes.put(path, new Node(path, type, mode, uid, gid, size, link, major, minor, xattrs, ref));
      }
      return new FileTree(blobs, nodes);
    });
  }

  private void store(String key, FileTree tree) throws IOException {
    List<Node> nodes = tree.walk("/").toList();
    CacheFile.write(dir, key, FORMAT, out -> {
      out.writeInt(nodes.size());
      for (Node n : nodes) {
        CacheFile.writeString(out, n.path());
        CacheFile.writeString(out, n.type().name());
        out.writeInt(n.mode());
        out.writeLong(n.uid());
        out.writeLong(n.gid());
        out.writeLong(n.size());
        CacheFile.writeString(out, n.linkTarget());
        out.writeInt(n.devMajor());
        out.writeInt(n.devMinor());
        out.writeInt(n.xattrs().size());
        for (var x : n.xattrs().entrySet()) {
          CacheFile.writeString(out, x.getKey());
          CacheFile.writeBytes(out, x.getValue().value());
        }
        out.writeInt(n.content() == null ? -1 : n.content().layer());
        out.writeLong(n.content() == null ? 0 : n.content().ordinal());
      }
    });
  }
}
