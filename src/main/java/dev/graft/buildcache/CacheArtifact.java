package dev.graft.buildcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The build cache as an OCI artifact: an image manifest with {@code artifactType}
 * {@value #ARTIFACT_TYPE}, whose config is the {@link CacheRecord} ({@value #RECORD_TYPE}) and
 * whose layers are the layer blobs the record names, so the registry keeps them (garbage
 * collection, retention policies) as long as the cache is tagged, and a copy of the cache carries
 * them. It lives under an ordinary tag ({@value #DEFAULT_TAG} by default), never under the
 * {@code sha256-<hex>} tags of the referrers fallback that signatures and SBOMs use.
 */
public final class CacheArtifact {
  public static final String ARTIFACT_TYPE = "application/vnd.graft.build-cache.v1";
  public static final String RECORD_TYPE = "application/vnd.graft.build-cache.record.v1+json";
  public static final String DEFAULT_TAG = "graft-cache";
  /** Layer media types a cache may name: those graft writes. */
  static final Set<String> LAYER_TYPES = Set.of(MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER_GZIP,
      MediaTypes.OCI_LAYER_ZSTD);

  private CacheArtifact() {}

  /** The manifest of an artifact whose config is {@code record} (its exact bytes, as pushed). */
  public static Blob manifest(Blob record, CacheRecord content) {
    ObjectNode m = Json.document(MediaTypes.OCI_MANIFEST);
    m.put("artifactType", ARTIFACT_TYPE);
    put(m.putObject("config"), record.descriptor());
    ArrayNode layers = m.putArray("layers");
    for (Descriptor d : layerBlobs(content)) {
      put(layers.addObject(), d);
    }
    return new Blob(MediaTypes.OCI_MANIFEST, Json.write(m));
  }

  /** The distinct layer blobs a record names, in its order. */
  static List<Descriptor> layerBlobs(CacheRecord content) {
    Set<Descriptor> seen = new LinkedHashSet<>();
    content.layers().forEach(l -> seen.add(l.blob()));
    return List.copyOf(seen);
  }

  private static void put(ObjectNode n, Descriptor d) {
    n.put("mediaType", d.mediaType()).put("digest", d.digest().toString()).put("size", d.size());
  }

  /** What a fetched cache manifest says: where its record is and which blobs it holds. */
  record Parsed(Descriptor record, List<Descriptor> layers) {}

  /** The record's descriptor and the layer blobs of a cache manifest; refused when it is no graft build cache. */
  static Parsed parse(Blob manifest, String where) {
    if (!MediaTypes.OCI_MANIFEST.equals(manifest.mediaType())) {
      throw new OciFormatException(where + " is not a graft build cache (an index or another kind of manifest)");
    }
    JsonNode m = Json.parse(manifest.bytes(), where);
    JsonNode type = m.get("artifactType");
    if (type == null || !ARTIFACT_TYPE.equals(type.asText(null))) {
      throw new OciFormatException(where + " is not a graft build cache (artifactType is not " + ARTIFACT_TYPE + ")");
    }
    Descriptor record = descriptor(m.get("config"), where);
    if (!RECORD_TYPE.equals(record.mediaType())) {
      throw new OciFormatException(where + ": its config is not a graft build cache record");
    }
    JsonNode ls = m.get("layers");
    if (ls == null || !ls.isArray() || ls.size() > CacheRecord.MAX_LAYERS) {
      throw new OciFormatException(where + ": 'layers' is missing, not an array or too long");
    }
    List<Descriptor> layers = new ArrayList<>();
    ls.forEach(l -> layers.add(descriptor(l, where)));
    return new Parsed(record, layers);
  }

  private static Descriptor descriptor(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw new OciFormatException(where + ": a descriptor is missing");
    }
    JsonNode type = n.get("mediaType");
    JsonNode digest = n.get("digest");
    JsonNode size = n.get("size");
    if (type == null || !type.isTextual() || digest == null || !digest.isTextual() || size == null
        || !size.canConvertToExactIntegral() || !size.canConvertToLong() || size.longValue() < 0) {
      throw new OciFormatException(where + ": a descriptor lacks mediaType, digest or size");
    }
    try {
      return new Descriptor(type.textValue(), Digest.parse(digest.textValue()), size.longValue());
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": " + e.getMessage(), e);
    }
  }
}
