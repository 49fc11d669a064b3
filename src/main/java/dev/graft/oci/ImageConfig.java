package dev.graft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image config graft reads. The exact bytes stay in {@link #blob}; a new config
 * is made by editing a copy of the JSON so fields graft does not know survive.
 */
public record ImageConfig(
    Blob blob,
    String os,
    String architecture,
    String variant,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    Map<String, String> labels,
    List<Digest> diffIds) {

  public ImageConfig {
    env = List.copyOf(env);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    labels = Map.copyOf(labels);
    diffIds = List.copyOf(diffIds);
  }

  public static ImageConfig parse(Blob blob) {
    String what = "image config " + blob.digest().shortForm();
    JsonNode node = Json.parse(blob.bytes(), what);
    JsonNode c = node.path("config");
    List<Digest> diffIds = new ArrayList<>();
    JsonNode rootfs = node.get("rootfs");
    if (rootfs == null || !rootfs.isObject() || !rootfs.path("diff_ids").isArray()) {
      throw new OciFormatException(what + ": 'rootfs.diff_ids' is missing");
    }
    for (JsonNode d : rootfs.get("diff_ids")) {
      try {
        diffIds.add(Digest.parse(d.asText()));
      } catch (IllegalArgumentException e) {
        throw new OciFormatException(what + ": " + e.getMessage());
      }
    }
    return new ImageConfig(
        blob,
        Json.optionalText(node, "os"),
        Json.optionalText(node, "architecture"),
        Json.optionalText(node, "variant"),
        strings(c.get("Env")),
        c.hasNonNull("Entrypoint") ? strings(c.get("Entrypoint")) : null,
        c.hasNonNull("Cmd") ? strings(c.get("Cmd")) : null,
        c.hasNonNull("WorkingDir") ? c.get("WorkingDir").asText() : null,
        c.hasNonNull("User") ? c.get("User").asText() : null,
        Json.stringMap(c, "Labels"),
        diffIds);
  }

  /** The platform the config declares, or null when it declares none. */
  public Platform platform() {
    return os == null || architecture == null ? null : new Platform(os, architecture, variant);
  }

  /** The value of an environment variable, or null. */
  public String envValue(String name) {
    for (String e : env) {
      if (e.startsWith(name + "=")) {
        return e.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null && arr.isArray()) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
