package dev.graft.buildcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The cache record's document: read back as written, the same bytes for the same content in any
 * order, and refused whole when anything in it is malformed, foreign or over a bound. Hostile
 * documents are written here with Jackson and the JDK's gzip, not with the record's own writer.
 */
class CacheRecordTest {
  private static final String KEY_A = "a".repeat(64);
  private static final String KEY_B = "b".repeat(64);

  private static CachedLayer layer(String key, String content) {
    return new CachedLayer(key, new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(content.getBytes()), 10),
        Digest.sha256((content + "-tar").getBytes()));
  }

  @Test
  void readsBackWhatItWroteAndSortsItsEntriesSoTheBytesDependOnlyOnTheContent() {
    CachedFile select = new CachedFile("select", KEY_B, "selection".getBytes(StandardCharsets.UTF_8));
    CachedFile verify = new CachedFile("verify", KEY_A, new byte[100_000]);
    CacheRecord r = new CacheRecord(List.of(layer(KEY_B, "b"), layer(KEY_A, "a")), List.of(verify, select));
    CacheRecord shuffled = new CacheRecord(List.of(layer(KEY_A, "a"), layer(KEY_B, "b")), List.of(select, verify));

    assertThat(shuffled.toJson()).isEqualTo(r.toJson());
    CacheRecord back = CacheRecord.parse(r.toJson(), "test");
    assertThat(back).isEqualTo(r);
    assertThat(back.layers()).extracting(CachedLayer::key).containsExactly(KEY_A, KEY_B);
    assertThat(r.toJson().length).as("carried files are compressed").isLessThan(5_000);
  }

  @Test
  void refusesAnotherFormatVersion() {
    ObjectNode doc = doc();
    doc.put("graftBuildCache", 2);
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(doc), "cache x"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("format 1");
  }

  @Test
  void refusesKeysThatAreNotSha256HexSoNoKeyCanNameAnotherFile() {
    ObjectNode doc = doc();
    ((ObjectNode) doc.withArray("files").addObject()).put("folder", "select").put("key", "../../../etc/passwd")
        .put("gzip", gzipBase64(new byte[1]));
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(doc), "cache x"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("not a sha256 hex key");

    ObjectNode upper = doc();
    layerNode(upper).put("key", KEY_A.toUpperCase());
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(upper), "cache x")).isInstanceOf(OciFormatException.class);
  }

  @Test
  void refusesFoldersOtherThanSelectAndVerify() {
    ObjectNode doc = doc();
    doc.withArray("files").addObject().put("folder", "layers").put("key", KEY_A).put("gzip", gzipBase64(new byte[1]));
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(doc), "cache x"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("unknown cache folder");
  }

  @Test
  void refusesLayerMediaTypesGraftDoesNotWrite() {
    ObjectNode doc = doc();
    layerNode(doc).put("mediaType", MediaTypes.OCI_MANIFEST);
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(doc), "cache x"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("layer types");
  }

  @Test
  void refusesNegativeOrFractionalSizesAndMalformedDigests() {
    ObjectNode negative = doc();
    layerNode(negative).put("size", -1);
    ObjectNode fraction = doc();
    layerNode(fraction).put("size", 1.5);
    ObjectNode digest = doc();
    layerNode(digest).put("digest", "sha256:xyz");
    for (ObjectNode d : List.of(negative, fraction, digest)) {
      assertThatThrownBy(() -> CacheRecord.parse(Json.write(d), "cache x")).isInstanceOf(OciFormatException.class);
    }
  }

  @Test
  void refusesTheSameKeyTwice() {
    ObjectNode doc = doc();
    doc.withArray("layers").add(layerNode(doc).deepCopy());
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(doc), "cache x"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("twice");
  }

  @Test
  void stopsAGzipBombAtTheBoundInsteadOfExpandingIt() {
    ObjectNode doc = doc();
    doc.withArray("files").addObject().put("folder", "verify").put("key", KEY_A)
        .put("gzip", gzipBase64(new byte[CacheRecord.MAX_FILE_BYTES + 1]));
    assertThatThrownBy(() -> CacheRecord.parse(Json.write(doc), "cache x"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("expands past");
  }

  @Test
  void refusesCarriedFilesThatAreNotGzipOrNotBase64() {
    ObjectNode notGzip = doc();
    notGzip.withArray("files").addObject().put("folder", "verify").put("key", KEY_A)
        .put("gzip", Base64.getEncoder().encodeToString("plain".getBytes()));
    ObjectNode notBase64 = doc();
    notBase64.withArray("files").addObject().put("folder", "verify").put("key", KEY_A).put("gzip", "%%%");
    for (ObjectNode d : List.of(notGzip, notBase64)) {
      assertThatThrownBy(() -> CacheRecord.parse(Json.write(d), "cache x")).isInstanceOf(OciFormatException.class);
    }
  }

  /** A valid document with one layer, written by hand. */
  private static ObjectNode doc() {
    ObjectNode doc = Json.object();
    doc.put("graftBuildCache", 1);
    ArrayNode layers = doc.putArray("layers");
    layers.addObject().put("key", KEY_A).put("mediaType", MediaTypes.OCI_LAYER_GZIP)
        .put("digest", Digest.sha256(new byte[] {1}).toString()).put("size", 1)
        .put("diffId", Digest.sha256(new byte[] {2}).toString());
    doc.putArray("files");
    assertThat(CacheRecord.parse(Json.write(doc), "valid").layers()).hasSize(1);
    return doc;
  }

  private static ObjectNode layerNode(ObjectNode doc) {
    return (ObjectNode) doc.get("layers").get(0);
  }

  private static String gzipBase64(byte[] bytes) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
        gz.write(bytes);
      }
      return Base64.getEncoder().encodeToString(buf.toByteArray());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
