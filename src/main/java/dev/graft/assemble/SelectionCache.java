package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.layer.CacheFile;
import dev.graft.layer.ContentSource;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.SharedCache;
import dev.graft.oci.Digest;
import dev.graft.verify.Finding;
import dev.graft.verify.Severity;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
  private static final String FORMAT = "graft-select-v2";
  private static final int MAX_ENTRIES = 5_000_000;
  private static final int MAX_NOTES = 100_000;

  private final SharedFiles files;

  /** {@code shared} is asked after a local miss ({@link SharedCache#NONE}: nothing shared). */
  SelectionCache(Path cacheDir, SharedCache shared) {
    this.files = new SharedFiles(cacheDir, "select", shared);
  }

  static String key(LayerSpec spec, Digest sourceManifest, Digest sourceConfig, Digest baseManifest,
      Platform platform, Collection<String> earlier) {
    StringBuilder sb = new StringBuilder(FORMAT).append('\n').append(CodeIdentity.get()).append('\n')
        .append(spec.source()).append('\n').append(sourceManifest).append('\n').append(sourceConfig).append('\n')
        .append(baseManifest).append('\n').append(platform).append('\n').append(spec.closure()).append('\n').append(spec.conflicts()).append('\n')
        .append(spec.specialFiles()).append('\n')
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
    return Files.isRegularFile(files.file(key));
  }

  /** A cached selection: its entries, and what closure: auto said about the base's libraries. */
  record Hit(List<LayerEntry> entries, List<Finding> notes) {
    Hit {
      entries = List.copyOf(entries);
      notes = List.copyOf(notes);
    }
  }

  /**
   * The cached selection, its file contents given by {@code content} (identity → source), or
   * empty on a miss or a damaged entry.
   */
  Optional<Hit> lookup(String key, Function<String, ContentSource> content) {
    Optional<Hit> hit = CacheFile.read(files.file(key), FORMAT, in -> {
      int n = CacheFile.readCount(in, MAX_ENTRIES);
      List<LayerEntry> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String path = CacheFile.readString(in);
        EntryMetadata metadata = CacheFile.readMetadata(in);
        String identity = CacheFile.readString(in);
        ContentSource c = identity.isEmpty() ? null : content.apply(identity);
        out.add(new LayerEntry(path, metadata, c));
      }
      int k = CacheFile.readCount(in, MAX_NOTES);
      List<Finding> notes = new ArrayList<>(k);
      for (int i = 0; i < k; i++) {
        Severity s = Severity.valueOf(CacheFile.readString(in));
        notes.add(new Finding(s, CacheFile.readString(in), CacheFile.readString(in), CacheFile.readString(in),
            CacheFile.readString(in)));
      }
      return new Hit(out, notes);
    });
    if (hit.isPresent()) {
      files.used(key);
    }
    return hit;
  }

  void store(String key, List<LayerEntry> entries, List<Finding> notes) throws IOException {
    CacheFile.write(files.dir(), key, FORMAT, out -> {
      out.writeInt(entries.size());
      for (LayerEntry e : entries) {
        CacheFile.writeString(out, e.path());
        CacheFile.writeMetadata(out, e.metadata());
        CacheFile.writeString(out, e.content() == null ? "" : e.content().identity());
      }
      out.writeInt(notes.size());
      for (Finding f : notes) {
        for (String s : List.of(f.severity().name(), f.code(), f.path(), f.message(), f.fix())) {
          CacheFile.writeString(out, s);
        }
      }
    });
    files.used(key);
  }
}
