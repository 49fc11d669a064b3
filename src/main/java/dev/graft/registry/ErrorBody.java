package dev.graft.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import java.util.ArrayList;
import java.util.List;

/** The registry's error document: {@code {"errors":[{"code":"…","message":"…"}]}}; tolerant of anything else. */
record ErrorBody(List<String> codes, String firstMessage) {
  ErrorBody {
    codes = List.copyOf(codes);
  }

  static ErrorBody parse(byte[] body) {
    List<String> codes = new ArrayList<>();
    String message = null;
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      JsonNode errors = root == null ? null : root.get("errors");
      if (errors != null && errors.isArray()) {
        for (JsonNode e : errors) {
          JsonNode code = e.get("code");
          if (code != null && code.isTextual()) {
            codes.add(code.asText());
          }
          JsonNode m = e.get("message");
          if (message == null && m != null && m.isTextual() && !m.asText().isBlank()) {
            message = m.asText();
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Not JSON (a proxy's HTML page, an empty body): only the status is known.
    }
    return new ErrorBody(codes, message == null ? null : oneLine(message));
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ").trim();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }
}
