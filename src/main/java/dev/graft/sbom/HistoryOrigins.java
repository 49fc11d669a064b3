package dev.graft.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Json;
import dev.graft.oci.Manifest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layer origins read back from an image graft built, for an SBOM of an image graft did not just
 * build: graft writes one history entry per layer it adds ({@code "comment": "graft"},
 * {@code "created_by": "graft: layer NAME (SOURCE)"}); the layers before the first of them are the
 * base's. An image without such entries is described as all base (its packages, no grafted files).
 */
public final class HistoryOrigins {
  private static final Pattern CREATED_BY = Pattern.compile("graft: layer (.*?) \\((.*)\\)");

  private HistoryOrigins() {}

  public static List<LayerOrigin> of(Manifest manifest, Blob config) {
    JsonNode root = Json.parse(config.bytes(), "image config " + config.digest().shortForm());
    List<JsonNode> layerHistory = new ArrayList<>();
    for (JsonNode h : root.path("history")) {
      if (!h.path("empty_layer").asBoolean(false)) {
        layerHistory.add(h);
      }
    }
    boolean aligned = layerHistory.size() == manifest.layers().size();
    List<LayerOrigin> out = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor d = manifest.layers().get(i);
      JsonNode h = aligned ? layerHistory.get(i) : null;
      Matcher m = h == null ? null : CREATED_BY.matcher(h.path("created_by").asText(""));
      if (h != null && "graft".equals(h.path("comment").asText()) && m.matches()) {
        out.add(new LayerOrigin(i, d.digest(), false, m.group(1), m.group(2), Optional.empty(), Optional.empty()));
      } else {
        out.add(new LayerOrigin(i, d.digest(), true, "", "base", Optional.empty(), Optional.empty()));
      }
    }
    return out;
  }

  /** The config's {@code created} time (graft writes SOURCE_DATE_EPOCH there), else 1970-01-01T00:00:01Z. */
  public static Instant created(Blob config) {
    String text = Json.parse(config.bytes(), "image config").path("created").asText("");
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.ofEpochSecond(1);
    }
  }
}
