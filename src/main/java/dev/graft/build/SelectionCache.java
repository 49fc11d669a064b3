package dev.graft.build;

import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.layer.Bytes;
import dev.graft.layer.ContentSource;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
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
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The entries an image-sourced layer selected in an earlier build (the closure of the node binary
 * and its libraries, say), by everything selection depends on: the layer's paths, excludes, 'to'
 * and closure; the source and base images' digests; the platform; the paths earlier layers add;
 * graft's own code. Images are immutable by digest, so a hit is the same selection without
 * reading the builder image at all. Contents are named by their identity only; the caller supplies
 * the real content should anything need the bytes (the layer is not in the layer cache, or
 * verification reads the files).
 */
final class SelectionCache {
  private static final String FORMAT = "graft-select-v1";
  private static final int MAX_STRING = 1 << 20;
  private static final int MAX_ENTRIES = 5_000_000;

  private final Path dir;

  SelectionCache(Path cacheDir) {
    this.dir = cacheDir.resolve("select");
  }

  static String key(LayerSpec spec, Digest sourceManifest, Digest sourceConfig, Digest baseManifest,
      Platform platform, Collection<String> earlier) {
    StringBuilder sb = new StringBuilder(FORMAT).append('\n').append(CodeIdentity.get()).append('\n')
        .append(spec.source()).append('\n').append(sourceManifest).append('\n').append(sourceConfig).append('\n')
        .append(baseManifest).append('\n').append(platform).append('\n').append(spec.closure()).append('\n')
        .append(spec.to().orElse("")).append('\n');
    for (PathSelector p : spec.paths()) {
      sb.append("path\0").append(p.optional()).append('\0').append(String.join("\0", p.alternatives())).append('\n');
    }
    spec.excludes().forEach(e -> sb.append("exclude\0").append(e).append('\n'));
    new TreeSet<>(earlier).forEach(e -> sb.append("earlier\0").append(e).append('\n'));
    MessageDigest md = Digest.newSha256();
    md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  boolean has(String key) {
    return Files.isRegularFile(dir.resolve(key));
  }

  /**
   * The cached entries, their file contents given by {@code content} (identity → source), or
   * empty on a miss or a damaged entry.
   */
  Optional<List<LayerEntry>> lookup(String key, Function<String, ContentSource> content) {
    Path file = dir.resolve(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!in.readUTF().equals(FORMAT)) {
        return Optional.empty();
      }
      int n = in.readInt();
      if (n < 0 || n > MAX_ENTRIES) {
        return Optional.empty();
      }
      List<LayerEntry> out = new ArrayList<>(n);
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
          int len = in.readInt();
          if (len < 0 || len > MAX_STRING) {
            return Optional.empty();
          }
          xattrs.put(name, new Bytes(in.readNBytes(len)));
        }
        String identity = string(in);
        ContentSource c = identity.isEmpty() ? null : content.apply(identity);
        out.add(new LayerEntry(path, type, mode, uid, gid, size, link, major, minor, xattrs, c));
      }
      if (in.read() != -1) {
        return Optional.empty();
      }
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // damaged: selected again and rewritten
    }
  }

  void store(String key, List<LayerEntry> entries) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".select", ".part");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeUTF(FORMAT);
        out.writeInt(entries.size());
        for (LayerEntry e : entries) {
          string(out, e.path());
          string(out, e.type().name());
          out.writeInt(e.mode());
          out.writeLong(e.uid());
          out.writeLong(e.gid());
          out.writeLong(e.size());
          string(out, e.linkTarget());
          out.writeInt(e.devMajor());
          out.writeInt(e.devMinor());
          out.writeInt(e.xattrs().size());
          for (var x : e.xattrs().entrySet()) {
            string(out, x.getKey());
            out.writeInt(x.getValue().length());
            out.write(x.getValue().value());
          }
          string(out, e.content() == null ? "" : e.content().identity());
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
    int len = in.readInt();
    if (len < 0 || len > MAX_STRING) {
      throw new IOException("bad string length " + len);
    }
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }
}
