package dev.graft.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON codec for image metadata. Writing is canonical: compact, fields in the order the
 * caller adds them, map entries sorted by key, so the same value always gives the same bytes.
 */
public final class Json {
  private Json() {}

  /** Manifests and configs larger than this are refused (registries use 4 MiB too). */
  public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxStringLength(MAX_DOCUMENT_BYTES)
        .build());
  }

  public static JsonNode parse(byte[] bytes, String what) {
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new OciFormatException(what + " is " + bytes.length + " bytes, over the "
          + MAX_DOCUMENT_BYTES + "-byte limit for image metadata");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new OciFormatException(what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new OciFormatException(what + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * JSON for people and pipelines to read (the CLI's {@code --json}): as {@link #write}, with DEL,
   * C1 controls and bidirectional overrides escaped too ({@code \u009b}), since a terminal may obey
   * them where they come from an image (C0 controls are escaped by JSON itself). Never for image
   * metadata: its bytes are digested.
   */
  public static byte[] writeForDisplay(JsonNode node) {
    try {
      return DISPLAY.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A streaming generator with {@link #writeForDisplay}'s escapes, for output too large to build first. */
  public static com.fasterxml.jackson.core.JsonGenerator displayGenerator(java.io.Writer out) throws IOException {
    return DISPLAY.createGenerator(out).disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }

  private static final com.fasterxml.jackson.databind.ObjectWriter DISPLAY = MAPPER.writer()
      .with(new com.fasterxml.jackson.core.io.CharacterEscapes() {
        private final int[] ascii = ascii();

        private static int[] ascii() {
          int[] codes = standardAsciiEscapesForJSON();
          codes[0x7f] = ESCAPE_STANDARD;
          return codes;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
          return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
          return ch > 0x7f && ch <= 0xffff && Printable.isUnsafe((char) ch)
              ? new com.fasterxml.jackson.core.io.SerializedString(String.format(java.util.Locale.ROOT, "\\u%04x", ch))
              : null;
        }
      });

  static String text(JsonNode node, String field, String what) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new OciFormatException(what + ": field '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  static String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode v = node.get(field);
    Map<String, String> out = new TreeMap<>();
    if (v != null && v.isObject()) {
      v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** The media type a document declares in its {@code mediaType} field, else the one it was served as. */
  static String mediaType(JsonNode node, Blob blob) {
    String declared = optionalText(node, "mediaType");
    return declared != null ? declared : blob.mediaType();
  }

  /** The descriptors of the array {@code field} (an index's manifests, a manifest's layers). */
  static List<Descriptor> descriptors(JsonNode node, String field, String what, String entry) {
    JsonNode array = node.get(field);
    if (array == null || !array.isArray()) {
      throw new OciFormatException(what + ": '" + field + "' is missing or not an array");
    }
    List<Descriptor> out = new ArrayList<>();
    for (JsonNode d : array) {
      out.add(descriptor(d, what + " " + entry));
    }
    return out;
  }

  /**
   * A manifest-like document's head, {@code schemaVersion} 2 and {@code mediaType}, in the order
   * every document graft writes starts with (the bytes, and so the digests, depend on it).
   */
  public static ObjectNode document(String mediaType) {
    ObjectNode n = object();
    n.put("schemaVersion", 2);
    n.put("mediaType", mediaType);
    return n;
  }

  /** Adds {@code annotations}, sorted by key, unless there are none. */
  public static void putAnnotations(ObjectNode n, Map<String, String> annotations) {
    if (!annotations.isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      new TreeMap<>(annotations).forEach(a::put);
    }
  }

  static Descriptor descriptor(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new OciFormatException(what + ": descriptor is missing or not an object");
    }
    String mediaType = text(node, "mediaType", what);
    Digest digest;
    try {
      digest = Digest.parse(text(node, "digest", what));
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(what + ": " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
      throw new OciFormatException(what + ": descriptor " + digest + " has no valid size");
    }
    Platform platform = null;
    JsonNode p = node.get("platform");
    if (p != null && p.isObject()) {
      platform = new Platform(text(p, "os", what), text(p, "architecture", what), optionalText(p, "variant"));
    }
    return new Descriptor(mediaType, digest, size.asLong(), platform, stringMap(node, "annotations"));
  }

  static ObjectNode descriptorNode(Descriptor d) {
    ObjectNode n = object();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    if (d.platform() != null) {
      ObjectNode p = n.putObject("platform");
      p.put("architecture", d.platform().architecture());
      p.put("os", d.platform().os());
      if (d.platform().variant() != null) {
        p.put("variant", d.platform().variant());
      }
    }
    if (!d.annotations().isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      d.annotations().forEach(a::put);
    }
    return n;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
