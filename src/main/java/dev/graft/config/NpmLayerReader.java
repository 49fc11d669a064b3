package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.npm.Libc;
import dev.graft.npm.Omit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the keys of a {@code from: npm} layer: lockfile, omit, libc, scripts. */
final class NpmLayerReader {
  static final List<String> NPM_KEYS = List.of("lockfile", "omit", "libc", "scripts");

  private final TypedYaml r;
  private final Path baseDir;

  NpmLayerReader(TypedYaml r, Path baseDir) {
    this.r = r;
    this.baseDir = baseDir;
  }

  /** Reports npm keys on a layer that does not take its files from npm. */
  static void refuseNpmKeys(TypedYaml r, MapNode m, String where, String label) {
    for (String k : NPM_KEYS) {
      if (m.get(k) != null) {
        r.problem(m.get(k), where + "." + k, "'" + k + "' belongs to from: npm layers; " + label
            + " takes its files from " + (m.get("from") instanceof Scalar s ? s.text() : "elsewhere"));
      }
    }
  }

  /** The npm source, or null after recording its problems. */
  LayerSource.Npm read(MapNode m, String where, String label) {
    int before = r.problems.size();
    Path lockfile = null;
    if (m.get("lockfile") == null) {
      r.problem(m, where + ".lockfile", label + " has no 'lockfile': name the package-lock.json to install from "
          + "(e.g. lockfile: ./package-lock.json)");
    } else {
      String text = r.string(m.get("lockfile"), where + ".lockfile", "a path to package-lock.json");
      if (text != null) {
        YamlNode n = m.get("lockfile");
        Path p = (n.pos().inFile() ? baseDir.resolve(text) : Path.of(text).toAbsolutePath()).normalize();
        if (Files.isDirectory(p)) {
          p = p.resolve("package-lock.json");
        }
        if (!Files.isRegularFile(p)) {
          r.problem(n, where + ".lockfile", "lockfile " + p + " does not exist (run 'npm install "
              + "--package-lock-only' in " + p.getParent() + " to make one)");
        } else {
          lockfile = p.toAbsolutePath();
        }
      }
    }
    Set<Omit> omit = EnumSet.of(Omit.DEV);
    if (m.get("omit") != null) {
      List<String> kinds = r.strings(m.get("omit"), where + ".omit", "a list of dev, optional, peer", true);
      if (kinds != null) {
        omit = EnumSet.noneOf(Omit.class);
        for (String k : kinds) {
          Optional<Omit> o = Omit.ofNpmName(k);
          if (o.isEmpty()) {
            r.problem(m.get("omit"), where + ".omit", "'" + where + ".omit' lists '" + k
                + "'; npm ci --omit takes dev, optional and peer");
          } else {
            omit.add(o.get());
          }
        }
      }
    }
    Optional<Libc> libc = Optional.empty();
    if (m.get("libc") != null) {
      String v = r.text(m.get("libc"), where + ".libc", "auto, glibc or musl");
      if (v != null && !v.equals("auto")) {
        libc = Libc.ofNpmName(v);
        if (libc.isEmpty()) {
          r.problem(m.get("libc"), where + ".libc", "'" + where + ".libc' must be auto, glibc or musl, got '" + v + "'");
        }
      }
    }
    boolean allow = false;
    if (m.get("scripts") != null) {
      String v = r.text(m.get("scripts"), where + ".scripts", "check or allow");
      if (v != null && !v.equals("check") && !v.equals("allow")) {
        r.problem(m.get("scripts"), where + ".scripts", "'" + where + ".scripts' must be check (refuse packages "
            + "that need their install scripts) or allow (accept the risk), got '" + v + "'");
      }
      allow = "allow".equals(v);
    }
    if (r.problems.size() > before || lockfile == null) {
      return null;
    }
    return new LayerSource.Npm(lockfile, omit, libc, allow);
  }
}
