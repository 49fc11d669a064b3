package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.config.BuildPlan;
import dev.graft.config.ClosureMode;
import dev.graft.config.ClosureConflicts;
import dev.graft.config.ImageConfigSpec;
import dev.graft.config.ImageTarget;
import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.config.PlatformPlan;
import dev.graft.oci.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a {@link BuildPlan} for people (indented lines) and for tools (JSON). */
final class PlanRenderer {
  private PlanRenderer() {}

  static List<String> text(BuildPlan plan) {
    return text(plan, null);
  }

  static List<String> text(BuildPlan plan, NpmPlans npm) {
    List<String> lines = new ArrayList<>();
    for (PlatformPlan p : plan.platforms()) {
      lines.add(p.platform().toString());
      lines.add("  base     " + p.base());
      p.builder().ifPresent(b -> lines.add("  builder  " + b));
      for (LayerSpec l : p.layers()) {
        lines.add("  layer    " + l.name() + l.recipe().map(r -> " (recipe " + r + ")").orElse("") + ": from "
            + l.source() + ", closure " + l.closure().yamlName()
            + (l.closure() == ClosureMode.AUTO && l.conflicts() != ClosureConflicts.COMPATIBLE
                ? " (conflicts: " + l.conflicts().yamlName() + ")" : "")
            + (l.paths().isEmpty() ? "" : ", " + l.paths().stream().map(PathSelector::toString)
                .collect(Collectors.joining(", ")))
            + l.to().map(t -> " -> " + t).orElse("")
            + (l.prune() == dev.graft.config.Prune.PLATFORM ? ", prune platform" : ""));
        if (npm != null) {
          lines.addAll(npm.text(p, l));
        }
      }
      ImageConfigSpec c = p.config();
      c.env().forEach((k, v) -> lines.add("  env      " + k + "=" + v));
      c.workdir().ifPresent(w -> lines.add("  workdir  " + w));
      c.entrypoint().ifPresent(e -> lines.add("  entrypoint " + e));
      c.cmd().ifPresent(e -> lines.add("  cmd      " + e));
      c.user().ifPresent(u -> lines.add("  user     " + u));
      if (!c.ports().isEmpty()) {
        lines.add("  ports    " + String.join(", ", c.ports()));
      }
      c.labels().forEach((k, v) -> lines.add("  label    " + k + "=" + v));
      for (ImageTarget t : p.targets()) {
        lines.add("  push     " + target(t));
      }
    }
    for (ImageTarget t : plan.indexTargets()) {
      lines.add("index     " + target(t));
    }
    lines.add("epoch     " + plan.epoch());
    plan.notes().forEach(n -> lines.add("note: " + n));
    return lines;
  }

  private static String target(ImageTarget t) {
    return t.name() + (t.tags().isEmpty() ? "" : " tags " + String.join(", ", t.tags()));
  }

  static ObjectNode json(BuildPlan plan) {
    return json(plan, null);
  }

  static ObjectNode json(BuildPlan plan, NpmPlans npm) {
    ObjectNode o = Json.object();
    ArrayNode platforms = o.putArray("platforms");
    for (PlatformPlan p : plan.platforms()) {
      ObjectNode po = platforms.addObject();
      po.put("platform", p.platform().toString());
      po.put("base", p.base().toString());
      p.builder().ifPresent(b -> po.put("builder", b.toString()));
      ArrayNode layers = po.putArray("layers");
      for (LayerSpec l : p.layers()) {
        ObjectNode lo = layers.addObject().put("name", l.name()).put("from", l.source().toString())
            .put("closure", l.closure().yamlName());
        if (l.closure() == ClosureMode.AUTO) {
          lo.put("conflicts", l.conflicts().yamlName());
        }
        l.recipe().ifPresent(r -> lo.put("recipe", r));
        ArrayNode paths = lo.putArray("paths");
        for (PathSelector s : l.paths()) {
          ObjectNode so = paths.addObject().put("optional", s.optional());
          s.alternatives().forEach(so.putArray("first")::add);
        }
        l.excludes().forEach(lo.putArray("exclude")::add);
        l.to().ifPresent(t -> lo.put("to", t));
        l.compression().ifPresent(c -> lo.put("compression", c.name().toLowerCase(Locale.ROOT)));
        lo.put("prune", l.prune().yamlName());
        lo.put("origin", l.origin().toString());
        ObjectNode npmPreview = npm == null ? null : npm.json(p, l);
        if (npmPreview != null) {
          lo.set("npm", npmPreview);
        }
      }
      po.set("config", config(p.config()));
      targets(po.putArray("targets"), p.targets());
    }
    targets(o.putArray("index"), plan.indexTargets());
    o.put("epoch", plan.epoch().getEpochSecond());
    o.put("format", plan.format().yamlName());
    o.put("compression", plan.compression().name().toLowerCase(Locale.ROOT)
        + (plan.compressionLevel() > 0 ? ":" + plan.compressionLevel() : ""));
    plan.notes().forEach(o.putArray("notes")::add);
    return o;
  }

  private static ObjectNode config(ImageConfigSpec c) {
    ObjectNode o = Json.object();
    ObjectNode env = o.putObject("env");
    c.env().forEach(env::put);
    c.workdir().ifPresent(w -> o.put("workdir", w));
    c.entrypoint().ifPresent(e -> e.forEach(o.putArray("entrypoint")::add));
    c.cmd().ifPresent(e -> e.forEach(o.putArray("cmd")::add));
    c.user().ifPresent(u -> o.put("user", u));
    c.ports().forEach(o.putArray("ports")::add);
    ObjectNode labels = o.putObject("labels");
    c.labels().forEach(labels::put);
    c.volumes().forEach(o.putArray("volumes")::add);
    c.stopSignal().ifPresent(s -> o.put("stopSignal", s));
    return o;
  }

  private static void targets(ArrayNode into, List<ImageTarget> targets) {
    for (ImageTarget t : targets) {
      ObjectNode to = into.addObject().put("name", t.name());
      t.tags().forEach(to.putArray("tags")::add);
    }
  }
}
