package dev.graft.fs;

import dev.graft.layer.Bytes;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerBlob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private static final int MAX_STRING = 1 << 20;
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
    Path file = dir.resolve(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (!in.readUTF().equals(FORMAT)) {
        return Optional.empty();
      }
      int n = in.readInt();
      if (n < 0 || n > MAX_NODES) {
        return Optional.empty();
      }
      TreeMap<String, Node> nodes = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        String path = string(in);
        EntryType type = EntryType.valueOf(string(in));
        int mode = in.readInt();
        long uid = in.readLong();
        long gid = in.readLong();
        long size = in.readLong();
        String link = string(in);
        int major = in.readInt();
        int minor = in.readInt();
        int nx = in.readInt();
        if (nx < 0 || nx > 10_000) {
          return Optional.empty();
        }
        TreeMap<String, Bytes> xattrs = new TreeMap<>();
        for (int x = 0; x < nx; x++) {
          String name = string(in);
          xattrs.put(name, new Bytes(bytes(in)));
        }
        int layer = in.readInt();
        long ordinal = in.readLong();
        if (layer >= blobs.size()) {
          return Optional.empty();
        }
        ContentRef ref = layer < 0 ? null : new ContentRef(layer, ordinal);
        nodes.put(path, new Node(path, type, mode, uid, gid, size, link, major, minor, xattrs, ref));
      }
      if (in.read() != -1) {
        return Optional.empty();
      }
      return Optional.of(new FileTree(blobs, nodes));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void store(String key, FileTree tree) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".tree", ".part");
    try {
      List<Node> nodes = tree.walk("/").toList();
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.writeUTF(FORMAT);
        out.writeInt(nodes.size());
        for (Node n : nodes) {
          string(out, n.path());
          string(out, n.type().name());
          out.writeInt(n.mode());
          out.writeLong(n.uid());
          out.writeLong(n.gid());
          out.writeLong(n.size());
          string(out, n.linkTarget());
          out.writeInt(n.devMajor());
          out.writeInt(n.devMinor());
          out.writeInt(n.xattrs().size());
          for (var x : n.xattrs().entrySet()) {
            string(out, x.getKey());
            out.writeInt(x.getValue().length());
            out.write(x.getValue().value());
          }
          out.writeInt(n.content() == null ? -1 : n.content().layer());
          out.writeLong(n.content() == null ? 0 : n.content().ordinal());
        }
      }
      try {
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cache directory " + dir + " does not support atomic renames", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    return new String(bytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > MAX_STRING) {
      throw new IOException("bad length " + len);
    }
    return in.readNBytes(len);
  }
}
