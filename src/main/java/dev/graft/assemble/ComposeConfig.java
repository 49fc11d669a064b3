package dev.graft.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.config.ImageConfigSpec;
import dev.graft.oci.Blob;
import dev.graft.oci.Healthcheck;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step "compose config": the base's config, edited (unknown fields survive), as Docker's builder
 * would leave it after the graft.yaml's settings: env merged by name over the base's (a base's
 * PATH is kept unless set, and an image without one gets Docker's default); a new entrypoint
 * clears the inherited cmd (as {@code ENTRYPOINT} does in a Dockerfile) unless cmd is also set;
 * labels, ports and volumes merged; {@code created} is the plan's epoch; one history entry per
 * added layer; {@code rootfs.diff_ids} are the base's followed by the new ones. Written
 * canonically (keys sorted), so equal inputs give equal bytes.
 */
final class ComposeConfig {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final ImageConfig base;
  private final ImageConfigSpec spec;
  private final List<AddedLayer> layers;
  private final Instant epoch;
  private final String mediaType;

  ComposeConfig(ImageConfig base, ImageConfigSpec spec, List<AddedLayer> layers, Instant epoch, String mediaType) {
    this.base = base;
    this.spec = spec;
    this.layers = List.copyOf(layers);
    this.epoch = epoch;
    this.mediaType = mediaType;
  }

  Blob run() {
    ObjectNode root = (ObjectNode) Json.parse(base.blob().bytes(), "base image config");
    String created = epoch.toString();
    root.put("created", created);
    ObjectNode c = root.has("config") && root.get("config").isObject() ? (ObjectNode) root.get("config") : root.putObject("config");

    c.set("Env", strings(env()));
    spec.entrypoint().ifPresent(e -> {
      c.set("Entrypoint", strings(e));
      if (spec.cmd().isEmpty()) {
        c.remove("Cmd");
      }
    });
    spec.cmd().ifPresent(cmd -> c.set("Cmd", strings(cmd)));
    spec.workdir().ifPresent(w -> c.put("WorkingDir", w));
    spec.user().ifPresent(u -> c.put("User", u));
    spec.stopSignal().ifPresent(s -> c.put("StopSignal", s));
    spec.healthcheck().ifPresent(h -> c.set("Healthcheck", healthcheck(h)));
    mergeSet(c, "ExposedPorts", spec.ports());
    mergeSet(c, "Volumes", spec.volumes());
    if (!spec.labels().isEmpty()) {
      ObjectNode labels = c.has("Labels") && c.get("Labels").isObject() ? (ObjectNode) c.get("Labels") : c.putObject("Labels");
      spec.labels().forEach(labels::put);
    }

    ArrayNode history = root.has("history") && root.get("history").isArray() ? (ArrayNode) root.get("history") : root.putArray("history");
    for (AddedLayer l : layers) {
      ObjectNode h = history.addObject();
      h.put("created", created);
      h.put("created_by", "graft: layer " + l.name() + " (" + l.source() + ")");
      h.put("comment", "graft");
    }
    ObjectNode rootfs = root.has("rootfs") && root.get("rootfs").isObject() ? (ObjectNode) root.get("rootfs") : root.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    base.diffIds().forEach(d -> diffIds.add(d.toString()));
    layers.forEach(l -> diffIds.add(l.layer().diffId().toString()));
    return new Blob(mediaType, Json.write(sorted(root)));
  }

  /** The base's env with the spec's merged in by name; PATH always present. */
  List<String> env() {
    return env(base, spec);
  }

  /**
   * The environment an image runs with: {@code base}'s env with {@code spec}'s merged in by name;
   * PATH always present.
   */
  static List<String> env(ImageConfig base, ImageConfigSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : base.env()) {
      int eq = e.indexOf('=');
      env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    Map<String, String> baseEnv = Map.copyOf(env);
    spec.env().forEach((k, v) -> env.put(k, spec.expandEnv().contains(k) ? EnvTemplate.expand(v, baseEnv) : v));
    if (!env.containsKey("PATH") || env.get("PATH").isBlank()) {
      env.put("PATH", DEFAULT_PATH);
    }
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  private static void mergeSet(ObjectNode c, String field, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    ObjectNode set = c.has(field) && c.get(field).isObject() ? (ObjectNode) c.get(field) : c.putObject(field);
    keys.forEach(k -> set.putObject(k));
  }

  private static ObjectNode healthcheck(Healthcheck h) {
    ObjectNode n = Json.object();
    n.set("Test", strings(h.test()));
    h.interval().ifPresent(d -> n.put("Interval", nanos(d)));
    h.timeout().ifPresent(d -> n.put("Timeout", nanos(d)));
    h.startPeriod().ifPresent(d -> n.put("StartPeriod", nanos(d)));
    h.retries().ifPresent(r -> n.put("Retries", r));
    return n;
  }

  private static long nanos(Duration d) {
    return d.toNanos();
  }

  /** A copy with object keys sorted at every depth (array order is meaning, so kept). */
  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        fields.put(f.getKey(), sorted(f.getValue()));
      }
      ObjectNode out = Json.object();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(n -> out.add(sorted(n)));
      return out;
    }
    return node;
  }
}
