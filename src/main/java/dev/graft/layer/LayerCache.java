package dev.graft.layer;

import dev.graft.oci.Digest;
import dev.graft.oci.StagingDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Built layers on disk, so an unchanged input is never tarred or compressed again.
 * {@code layers/<key>} maps a cache key (the sha256 of a canonical description of the entries and
 * the byte-relevant options) to a blob; {@code blobs/sha256/<hex>} holds blobs by digest. Every
 * file is written under a temp name in the same directory tree and renamed into place, so
 * processes sharing the cache never see half an entry. A blob is re-hashed when used unless its
 * file is provably untouched since it was last hashed (same size, inode, modification and change
 * time as recorded then, the way git trusts its index); a missing or corrupt one is rebuilt.
 * After a local miss the {@link SharedCache} is asked (a layer another machine built, whose blob
 * stays in its registry), and it hears of every layer handed out.
 */
public final class LayerCache {
  /** Bumped when the writer's output for the same input changes. */
  // v3: gzip blocks cut at selected tar entry starts; v2: gzip by graft's own deflate encoder (v1: jzlib)
  static final String FORMAT = "graft-layer-v3";

  /** Index property: the blob's {@link #stampOf stamp} when it was last known to match its digest. */
  private static final String BLOB_STAMP = "blobStamp";

  private final Path dir;
  private final SharedCache shared;
  private GzipChunkIndex chunks; // read when a gzip layer is first written
  private final java.util.Set<Digest> written = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public LayerCache(Path dir) {
    this(dir, SharedCache.NONE);
  }

  public LayerCache(Path dir, SharedCache shared) {
    this.dir = dir;
    this.shared = shared;
  }

  /** {@code $XDG_CACHE_HOME/graft}, else {@code $HOME/.cache/graft} (where bin/graft looks too). */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : dev.graft.oci.HomeDirectory.get().resolve(".cache");
    return base.resolve("graft");
  }

  public Path dir() {
    return dir;
  }

  /** Whether this instance wrote (rather than found) the layer with this digest. */
  public boolean wrote(Digest digest) {
    return written.contains(digest);
  }

  /** The layer for these entries: from the cache when present and intact, else written now. */
  public Layer getOrWrite(Collection<LayerEntry> entries, LayerOptions options) throws IOException {
    return getOrWrite(entries, options, LayerWriter.Progress.NONE);
  }

  /** As above; {@code progress} hears the bytes of tar written so far when the layer is written. */
  public Layer getOrWrite(Collection<LayerEntry> entries, LayerOptions options, LayerWriter.Progress progress)
      throws IOException {
    List<LayerEntry> ordered = LayerWriter.normalise(entries);
    String key = key(ordered, options);
    Path index = dir.resolve("layers").resolve(key);
    java.util.Optional<Layer> found = find(key, index, options);
    if (found.isPresent()) {
      return found.get();
    }
    try (StagingDir staging = staging()) {
      Path tmp = staging.newFile("layer");
      GzipChunkIndex known = options.compression() == dev.graft.oci.MediaTypes.Compression.GZIP ? chunkIndex() : null;
      LayerWriter.Written w = LayerWriter.writeNormalised(ordered, options, tmp, known, progress);
      Layer layer = w.layer();
      Path blob = blobPath(layer.digest());
      Files.createDirectories(blob.getParent());
      move(tmp, blob);
      if (known != null) {
        known.add(layer.digest(), w.chunks());
      }
      Properties p = new Properties();
      p.setProperty("diffId", layer.diffId().toString());
      p.setProperty("digest", layer.digest().toString());
      p.setProperty("size", Long.toString(layer.compressedSize()));
      p.setProperty("mediaType", layer.mediaType());
      p.setProperty(BLOB_STAMP, stampOf(blob));
      Files.createDirectories(index.getParent());
      storeIndex(p, index);
      written.add(layer.digest());
      Layer stored = new Layer(layer.diffId(), layer.digest(), layer.compressedSize(), layer.mediaType(), blob);
      shared.usedLayer(key, stored);
      return stored;
    }
  }

  /**
   * A staging directory under {@code <cache>/tmp} for one write, removed when it ends (or on
   * SIGINT/SIGTERM); what killed runs left there is removed first.
   */
  private StagingDir staging() throws IOException {
    Path tmp = dir.resolve("tmp");
    StagingDir.sweepOnce(tmp, "write-");
    StagingDir.sweepOnce(tmp, "layer"); // loose temp files of versions before staging directories
    StagingDir.sweepOnce(tmp, "index");
    return StagingDir.create(tmp, "write-");
  }

  /** The cached layer for these entries when present and intact; never reads their contents. */
  public java.util.Optional<Layer> lookup(Collection<LayerEntry> entries, LayerOptions options) throws IOException {
    String key = key(LayerWriter.normalise(entries), options);
    return find(key, dir.resolve("layers").resolve(key), options);
  }

  /** The layer for {@code key}: local when intact, else the shared cache's (its blob stays remote). */
  private java.util.Optional<Layer> find(String key, Path index, LayerOptions options) throws IOException {
    Layer layer = readIntact(index);
    if (layer == null) {
      layer = shared.layer(key, Compressors.mediaType(options.compression()))
          .map(f -> new Layer(f.diffId(), f.blob().digest(), f.blob().size(), f.blob().mediaType(),
              blobPath(f.blob().digest()), f.repository()))
          .orElse(null);
    }
    if (layer != null) {
      shared.usedLayer(key, layer);
    }
    return java.util.Optional.ofNullable(layer);
  }

  private synchronized GzipChunkIndex chunkIndex() {
    if (chunks == null) {
      chunks = GzipChunkIndex.open(dir.resolve("chunks").resolve("gzip"), this::blobPath);
    }
    return chunks;
  }

  public Path blobPath(Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private void storeIndex(Properties p, Path index) throws IOException {
    try (StagingDir staging = staging()) {
      Path indexTmp = staging.newFile("index");
      // Not Properties.store: it writes a date comment, and the JDK reads that date from
      // SOURCE_DATE_EPOCH, failing on a blank value (CI systems export it empty). The values are
      // digests, numbers, media types and stamps: nothing that needs escaping.
      StringBuilder text = new StringBuilder();
      new java.util.TreeMap<>(p).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Files.writeString(indexTmp, text, java.nio.charset.StandardCharsets.ISO_8859_1);
      move(indexTmp, index);
    }
  }

  /** The blob file's size, inode, modification and change times: any write to it changes them. */
  private static String stampOf(Path blob) throws IOException {
    HostFileHashes.Stamp s = HostFileHashes.stamp(blob);
    return s.size() + ":" + s.inode() + ":" + s.mtimeNanos() + ":" + s.ctimeNanos();
  }

  /** The cached layer, or null when absent, unreadable or its blob does not match its digest. */
  private Layer readIntact(Path index) throws IOException {
    if (!Files.isRegularFile(index)) {
      return null;
    }
    Properties p = new Properties();
    Layer layer;
    try (InputStream in = Files.newInputStream(index)) {
      p.load(in);
      Digest digest = Digest.parse(p.getProperty("digest"));
      layer = new Layer(Digest.parse(p.getProperty("diffId")), digest, Long.parseLong(p.getProperty("size")),
          p.getProperty("mediaType"), blobPath(digest));
    } catch (RuntimeException e) {
      return null; // a damaged index entry is rebuilt like a missing one
    }
    Path blob = layer.blob();
    if (!Files.isRegularFile(blob) || Files.size(blob) != layer.compressedSize()) {
      return null;
    }
    String stamp = stampOf(blob);
    if (stamp.equals(p.getProperty(BLOB_STAMP))) {
      return layer; // untouched since it was hashed (written, or checked by an earlier build)
    }
    MessageDigest md = layer.digest().newHasher();
    try (InputStream in = Files.newInputStream(blob)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    if (!HexFormat.of().formatHex(md.digest()).equals(layer.digest().hex())) {
      Files.deleteIfExists(blob); // corrupt: rebuilt by the caller
      return null;
    }
    if (stamp.equals(stampOf(blob))) { // unchanged while hashed: later builds need not hash it again
      p.setProperty(BLOB_STAMP, stamp);
      try {
        storeIndex(p, index);
      } catch (IOException e) {
        // an optimisation only: the next build hashes the blob again
      }
    }
    return layer;
  }

  /** The cache key: sha256 over a canonical, line-per-entry description plus the options that shape bytes. */
  static String key(List<LayerEntry> ordered, LayerOptions options) {
    MessageDigest md = Digest.newSha256();
    md.update((FORMAT + "\n" + options.cacheKey() + "\n").getBytes(StandardCharsets.UTF_8));
    for (LayerEntry e : ordered) {
      EntryMetadata m = e.metadata();
      StringBuilder line = new StringBuilder()
          .append(e.path()).append('\0').append(m.type()).append('\0').append(Integer.toOctalString(m.mode()))
          .append('\0').append(m.uid()).append(':').append(m.gid()).append('\0').append(m.size()).append('\0')
          .append(m.linkTarget()).append('\0').append(m.devMajor()).append(',').append(m.devMinor());
      m.xattrs().forEach((k, v) -> line.append('\0').append(k).append('=').append(v));
      if (m.type() == EntryType.FILE) {
        line.append('\0').append(e.content().identity());
      }
      md.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cache directory " + to.getParent() + " does not support atomic renames", e);
    }
  }
}
