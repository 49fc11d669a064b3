package dev.graft.npm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Node's {@code JSON.stringify(value, null, 2)} writes it (npm writes lockfiles so):
 * two-space indent, {@code "key": value}, empty containers as {@code {}} and {@code []}, only
 * quotes, backslashes and control characters escaped. Numbers are written as the lockfile had
 * them.
 */
final class JsStringify {
  private JsStringify() {}

  static String write(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    write(n, sb, "");
    return sb.toString();
  }

  private static void write(JsonNode n, StringBuilder sb, String indent) {
    if (n.isObject()) {
      if (n.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      String inner = indent + "  ";
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sb.append(inner);
        string(e.getKey(), sb);
        sb.append(": ");
        write(e.getValue(), sb, inner);
        sb.append(it.hasNext() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append("[\n");
      String inner = indent + "  ";
      for (int i = 0; i < n.size(); i++) {
        sb.append(inner);
        write(n.get(i), sb, inner);
        sb.append(i + 1 < n.size() ? ",\n" : "\n");
      }
      sb.append(indent).append(']');
    } else if (n.isTextual()) {
      string(n.asText(), sb);
    } else if (n.isNull()) {
      sb.append("null");
    } else {
      sb.append(n.toString()); // numbers, booleans
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
