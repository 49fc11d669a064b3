package dev.graft.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Json;
import dev.graft.oci.OciFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * cosign's Rekor bundle, the value of the {@code dev.sigstore.cosign/bundle} annotation: the log
 * entry ({@code body}: the base64 of the hashedrekord document Rekor logged, its time, index and
 * the log's ID) and Rekor's signed entry timestamp (SET) over it, so the signature can be checked
 * as logged without asking Rekor: {@code {"SignedEntryTimestamp":"…","Payload":{"body":"…",
 * "integratedTime":…,"logIndex":…,"logID":"…"}}}.
 */
public record RekorBundle(String signedEntryTimestamp, String body, long integratedTime, long logIndex,
    String logId) {
  public RekorBundle {
    Objects.requireNonNull(signedEntryTimestamp, "signedEntryTimestamp");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(logId, "logId");
  }

  public String toJson() {
    ObjectNode root = Json.object();
    root.put("SignedEntryTimestamp", signedEntryTimestamp);
    ObjectNode payload = root.putObject("Payload");
    payload.put("body", body);
    payload.put("integratedTime", integratedTime);
    payload.put("logIndex", logIndex);
    payload.put("logID", logId);
    return new String(Json.write(root), StandardCharsets.UTF_8);
  }

  /** Reads the annotation's value; a missing or mistyped field is refused by name. */
  public static RekorBundle parse(String json, String where) {
    JsonNode root = Json.parse(json.getBytes(StandardCharsets.UTF_8), "Rekor bundle in " + where);
    JsonNode payload = root.path("Payload");
    String set = text(root, "SignedEntryTimestamp", where);
    String body = text(payload, "body", where);
    String logId = text(payload, "logID", where);
    if (!payload.path("integratedTime").isIntegralNumber() || !payload.path("logIndex").isIntegralNumber()) {
      throw new OciFormatException("Rekor bundle in " + where + " has no integer Payload.integratedTime/logIndex");
    }
    return new RekorBundle(set, body, payload.get("integratedTime").asLong(), payload.get("logIndex").asLong(), logId);
  }

  private static String text(JsonNode node, String field, String where) {
    if (!node.path(field).isTextual()) {
      throw new OciFormatException("Rekor bundle in " + where + " has no text field " + field);
    }
    return node.get(field).asText();
  }

  /**
   * What Rekor signed for the SET: the entry as RFC 8785 canonical JSON (keys sorted, no
   * whitespace). The values are base64, hex and integers, which need no escaping.
   */
  public byte[] signedContent() {
    return ("{\"body\":" + quoted(body) + ",\"integratedTime\":" + integratedTime + ",\"logID\":" + quoted(logId)
        + ",\"logIndex\":" + logIndex + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String s) {
    if (!s.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
      throw new OciFormatException("Rekor bundle field holds characters a log ID or base64 body never has");
    }
    return "\"" + s + "\"";
  }
}
