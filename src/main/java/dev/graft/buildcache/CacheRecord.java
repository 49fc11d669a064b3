package dev.graft.buildcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.layer.ParallelGzipOutputStream;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.OciFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * What a build leaves for the next: every layer it used, by key, and the selection and
 * verification records it used. Serialised as one JSON document (the cache artifact's config
 * blob), sorted by key so the same build gives the same bytes and an unchanged cache is not
 * pushed again; records are gzip-compressed by graft's own deflate (no host zlib in the bytes).
 */
public record CacheRecord(List<CachedLayer> layers, List<CachedFile> files) {
  /** The format this graft writes and reads; a record of another format is ignored, not misread. */
  public static final int FORMAT = 1;
  static final int MAX_LAYERS = 10_000;
  static final int MAX_FILES = 10_000;
  /** A carried cache file is at most this big uncompressed (the local cache's own bound). */
  static final int MAX_FILE_BYTES = 16 << 20;
  /** All carried files together, uncompressed: a gzip bomb stops here. */
  static final long MAX_TOTAL_FILE_BYTES = 64L << 20;

  public CacheRecord {
    layers = layers.stream().sorted(Comparator.comparing(CachedLayer::key)).toList();
    files = files.stream().sorted(Comparator.comparing(CachedFile::name)).toList();
    if (layers.size() > MAX_LAYERS || files.size() > MAX_FILES) {
      throw new IllegalArgumentException("a build cache holds at most " + MAX_LAYERS + " layers and "
          + MAX_FILES + " records");
    }
    Set<String> seen = new HashSet<>();
    for (CachedLayer l : layers) {
      if (!seen.add("layer/" + l.key())) {
        throw new IllegalArgumentException("layer key " + l.key() + " appears twice");
      }
    }
    for (CachedFile f : files) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException("record " + f.name() + " appears twice");
      }
    }
  }

  /** The record without its carried files (when they would make the document too big). */
  public CacheRecord withoutFiles() {
    return new CacheRecord(layers, List.of());
  }

  public byte[] toJson() {
    ObjectNode root = Json.object();
    root.put("graftBuildCache", FORMAT);
    ArrayNode ls = root.putArray("layers");
    for (CachedLayer l : layers) {
      ls.addObject().put("key", l.key()).put("mediaType", l.blob().mediaType())
          .put("digest", l.blob().digest().toString()).put("size", l.blob().size())
          .put("diffId", l.diffId().toString());
    }
    ArrayNode fs = root.putArray("files");
    for (CachedFile f : files) {
      fs.addObject().put("folder", f.folder()).put("key", f.key())
          .put("gzip", Base64.getEncoder().encodeToString(gzip(f.bytes())));
    }
    return Json.write(root);
  }

  /**
   * The record in {@code json}, refused whole (with the reason) when anything in it is malformed,
   * over a bound, or of another format: a cache is either read as written or not used at all.
   */
  public static CacheRecord parse(byte[] json, String where) {
    JsonNode root = Json.parse(json, where);
    JsonNode format = root.get("graftBuildCache");
    if (format == null || !format.isInt() || format.intValue() != FORMAT) {
      throw new OciFormatException(where + " is not a graft build cache of format " + FORMAT
          + " (written by another graft version?)");
    }
    try {
      List<CachedLayer> layers = new ArrayList<>();
      for (JsonNode l : array(root, "layers", MAX_LAYERS, where)) {
        long size = number(l, "size", where);
        layers.add(new CachedLayer(text(l, "key", where), new Descriptor(text(l, "mediaType", where),
            Digest.parse(text(l, "digest", where)), size), Digest.parse(text(l, "diffId", where))));
      }
      List<CachedFile> files = new ArrayList<>();
      long total = 0;
      for (JsonNode f : array(root, "files", MAX_FILES, where)) {
        byte[] bytes = gunzip(Base64.getDecoder().decode(text(f, "gzip", where)), MAX_TOTAL_FILE_BYTES - total, where);
        total += bytes.length;
        files.add(new CachedFile(text(f, "folder", where), text(f, "key", where), bytes));
      }
      return new CacheRecord(layers, files);
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static Iterable<JsonNode> array(JsonNode root, String field, int max, String where) {
    JsonNode a = root.get(field);
    if (a == null || !a.isArray()) {
      throw new OciFormatException(where + ": field '" + field + "' is missing or not an array");
    }
    if (a.size() > max) {
      throw new OciFormatException(where + ": " + a.size() + " " + field + ", over the limit of " + max);
    }
    return a;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new OciFormatException(where + ": field '" + field + "' is missing or not a string");
    }
    return v.textValue();
  }

  private static long number(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new OciFormatException(where + ": field '" + field + "' is missing or not a size");
    }
    return v.longValue();
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (OutputStream out = new ParallelGzipOutputStream(buf, 6, 1)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory: cannot happen
    }
    return buf.toByteArray();
  }

  private static byte[] gunzip(byte[] gz, long budget, String where) {
    long max = Math.min(MAX_FILE_BYTES, budget);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      byte[] bytes = in.readNBytes((int) max + 1);
      if (bytes.length > max) {
        throw new OciFormatException(where + ": a carried record expands past " + max + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new OciFormatException(where + ": a carried record is not valid gzip: " + e.getMessage(), e);
    }
  }
}
