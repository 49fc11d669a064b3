package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.config.BuildPlan;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.PlatformPlan;
import dev.graft.npm.FetchListener;
import dev.graft.npm.Libc;
import dev.graft.npm.Lockfile;
import dev.graft.npm.NpmPreview;
import dev.graft.npm.NpmTarget;
import dev.graft.npm.Npmrc;
import dev.graft.npm.ScriptVerdict;
import dev.graft.npm.Selection;
import dev.graft.npm.TarballCache;
import dev.graft.npm.TarballFetcher;
import dev.graft.registry.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The previews of a plan's {@code from: npm} layers, per platform and libc ({@code libc: auto}
 * is decided at build time from the node's loader, so the plan shows glibc and musl), and how
 * {@code graft plan} renders them.
 */
final class NpmPlans {
  /** Key: platform + "\0" + layer name; value: the previews by libc. */
  private final Map<String, Map<Libc, NpmPreview>> previews;

  private NpmPlans(Map<String, Map<Libc, NpmPreview>> previews) {
    this.previews = previews;
  }

  static NpmPlans of(BuildPlan plan, Path cacheDir, Map<String, String> env) {
    Map<String, Map<Libc, NpmPreview>> out = new LinkedHashMap<>();
    try {
      for (PlatformPlan pp : plan.platforms()) {
        for (LayerSpec l : pp.layers()) {
          if (!(l.source() instanceof LayerSource.Npm npm)) {
            continue;
          }
          dev.graft.layer.CacheFolders.check(cacheDir); // plan caches npm tarballs as build does
          Lockfile lock = Lockfile.read(npm.lockfile());
          Npmrc rc = Npmrc.load(npm.lockfile().getParent(), dev.graft.oci.HomeDirectory.of(env), env);
          TarballFetcher fetcher = new TarballFetcher(new TarballCache(cacheDir), rc, RetryPolicy.defaults(), 8,
              FetchListener.NONE);
          Map<Libc, NpmPreview> byLibc = new LinkedHashMap<>();
          for (Libc libc : npm.libc().map(List::of).orElse(List.of(Libc.GLIBC, Libc.MUSL))) {
            byLibc.put(libc, NpmPreview.of(lock, NpmTarget.of(pp.platform(), libc), npm.omit(), npm.allowScripts(),
                cacheDir, fetcher));
          }
          out.put(pp.platform() + "\0" + l.name(), byLibc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NpmPlans(out);
  }

  /** The indented lines under a layer's plan line. */
  List<String> text(PlatformPlan pp, LayerSpec l) {
    List<String> lines = new ArrayList<>();
    Map<Libc, NpmPreview> byLibc = previews.get(pp.platform() + "\0" + l.name());
    if (byLibc == null) {
      return lines;
    }
    LayerSource.Npm npm = (LayerSource.Npm) l.source();
    if (npm.libc().isEmpty()) {
      lines.add("           libc auto: the libc of the node the image runs, decided at build (both shown)");
    }
    byLibc.forEach((libc, p) -> {
      Selection s = p.selection();
      lines.add("           " + s.target() + ": " + s.installed().size() + " packages"
          + ", omitted " + s.leftOut().stream().filter(x -> x.reason() == Selection.Reason.OMITTED).count()
          + " (" + String.join(", ", npm.omit().stream().map(o -> o.npmName()).sorted().toList()) + ")");
      s.platformPackages().forEach(x -> lines.add("             + " + x.id() + " (" + platformFields(x) + ")"));
      s.leftOut().stream().filter(x -> x.reason() != Selection.Reason.OMITTED).forEach(x -> lines.add(
          "             - " + x.pkg().id() + " (" + (x.reason() == Selection.Reason.PLATFORM ? "needs " + x.detail()
              : "only needed by " + x.detail()) + ")"));
      p.verdicts().forEach(v -> lines.add("             script " + v.kind().name().toLowerCase(java.util.Locale.ROOT)
          + ": " + v.pkg().id() + ": " + v.message()));
    });
    return lines;
  }

  /** The layer's previews as JSON, or null for other layers. */
  ObjectNode json(PlatformPlan pp, LayerSpec l) {
    Map<Libc, NpmPreview> byLibc = previews.get(pp.platform() + "\0" + l.name());
    if (byLibc == null) {
      return null;
    }
    LayerSource.Npm npm = (LayerSource.Npm) l.source();
    ObjectNode o = dev.graft.oci.Json.object();
    o.put("lockfile", npm.lockfile().toString());
    o.put("libc", npm.libc().map(Libc::npmName).orElse("auto"));
    npm.omit().stream().map(x -> x.npmName()).sorted().forEach(o.putArray("omit")::add);
    o.put("scripts", npm.allowScripts() ? "allow" : "check");
    o.put("prune", l.prune().yamlName());
    ArrayNode targets = o.putArray("targets");
    byLibc.forEach((libc, p) -> {
      Selection s = p.selection();
      ObjectNode t = targets.addObject().put("os", s.target().os()).put("cpu", s.target().cpu()).put("libc", libc.npmName())
          .put("packages", s.installed().size());
      ArrayNode chosen = t.putArray("platformPackages");
      s.platformPackages().forEach(x -> chosen.addObject().put("name", x.name()).put("version", x.version())
          .put("path", x.path()).put("requires", platformFields(x)));
      ArrayNode left = t.putArray("leftOut");
      s.leftOut().forEach(x -> left.addObject().put("name", x.pkg().name()).put("version", x.pkg().version())
          .put("path", x.pkg().path()).put("reason", x.reason().name().toLowerCase(java.util.Locale.ROOT))
          .put("detail", x.detail()));
      ArrayNode verdicts = t.putArray("installScripts");
      for (ScriptVerdict v : p.verdicts()) {
        verdicts.addObject().put("name", v.pkg().name()).put("version", v.pkg().version())
            .put("verdict", v.kind().name().toLowerCase(java.util.Locale.ROOT)).put("script", v.script())
            .put("message", v.message());
      }
    });
    return o;
  }

  private static String platformFields(dev.graft.npm.LockedPackage p) {
    List<String> parts = new ArrayList<>();
    if (!p.os().isEmpty()) {
      parts.add("os " + String.join("|", p.os()));
    }
    if (!p.cpu().isEmpty()) {
      parts.add("cpu " + String.join("|", p.cpu()));
    }
    if (!p.libc().isEmpty()) {
      parts.add("libc " + String.join("|", p.libc()));
    }
    return String.join(", ", parts);
  }
}
