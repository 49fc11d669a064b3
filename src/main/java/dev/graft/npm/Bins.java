package dev.graft.npm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A package's {@code bin} field the way npm-normalize-package-bin reads it: a string is one
 * command named after the package (its unscoped name); an object maps command names (reduced to
 * a base name, {@code \} and {@code :} as separators) to paths inside the package (made relative,
 * {@code ..} resolved against the package root so none climbs out); empty ones dropped.
 */
final class Bins {
  private Bins() {}

  static Map<String, String> normalise(JsonNode bin, String packageName) {
    Map<String, String> out = new LinkedHashMap<>();
    if (bin == null) {
      return out;
    }
    if (bin.isTextual()) {
      String unscoped = packageName.substring(packageName.lastIndexOf('/') + 1);
      put(out, unscoped, bin.asText());
    } else if (bin.isObject()) {
      bin.fields().forEachRemaining(e -> {
        if (e.getValue().isTextual()) {
          put(out, e.getKey(), e.getValue().asText());
        }
      });
    }
    return out;
  }

  private static void put(Map<String, String> out, String key, String target) {
    String k = key.replace('\\', '/').replace(':', '/');
    k = clean(k.substring(k.lastIndexOf('/') + 1));
    String t = clean(target.replace('\\', '/'));
    if (!k.isEmpty() && !t.isEmpty()) {
      out.put(k, t);
    }
  }

  /** path.join('/', p).slice(1): a relative path with '.', '..' and doubled slashes resolved, never above '/'. */
  static String clean(String p) {
    return dev.graft.layer.TarPaths.clean("/" + p).substring(1);
  }
}
