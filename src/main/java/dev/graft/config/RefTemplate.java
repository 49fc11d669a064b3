package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An image reference that may differ per platform: one ref (multi-platform, or with
 * {@code {arch}} replaced by the Home Assistant arch name, e.g. {@code ghcr.io/home-assistant/{arch}-base:3.15}),
 * or a mapping from platform (or HA arch) to ref. {@code baseDir} resolves relative
 * {@code oci:}/{@code oci-archive:} paths; null keeps them as given (flags: relative to the working directory).
 */
record RefTemplate(String key, YamlNode node, Map<Platform, Scalar> byPlatform, Path baseDir) {
  static final String ARCH = "{arch}";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

  RefTemplate {
    byPlatform = byPlatform == null ? null : Map.copyOf(byPlatform);
  }

  /** Reads a ref template from a node (string or mapping), or null after recording the problem. */
  static RefTemplate read(TypedYaml r, YamlNode n, String key, Path baseDir) {
    if (n instanceof MapNode m && m.entries().isEmpty()) {
      r.problem(n, key, "'" + key + "' is an empty mapping; give one reference, or platform: reference pairs");
      return null;
    }
    if (n instanceof MapNode m) {
      Map<Platform, Scalar> by = new LinkedHashMap<>();
      boolean ok = true;
      for (var e : m.entries().entrySet()) {
        Platform p;
        try {
          p = Platforms.parse(e.getKey());
        } catch (IllegalArgumentException ex) {
          r.problem(e.getValue().keyPos(), key + "." + e.getKey(), ex.getMessage());
          ok = false;
          continue;
        }
        String v = r.string(e.getValue().value(), key + "." + e.getKey(), "an image reference");
        if (v == null) {
          ok = false;
        } else if (by.putIfAbsent(p, (Scalar) e.getValue().value()) != null) {
          r.problem(e.getValue().keyPos(), key + "." + e.getKey(), "platform " + p + " appears twice in '" + key + "'");
          ok = false;
        } else {
          ok &= checkPlaceholders(r, (Scalar) e.getValue().value(), key, v);
        }
      }
      return ok ? new RefTemplate(key, n, by, baseDir) : null;
    }
    String text = r.string(n, key, "an image reference (or a mapping from platform to reference)");
    if (text == null || !checkPlaceholders(r, n, key, text)) {
      return null;
    }
    return new RefTemplate(key, n, null, baseDir);
  }

  private static boolean checkPlaceholders(TypedYaml r, YamlNode n, String key, String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!m.group().equals(ARCH)) {
        r.problem(n, key, "unknown placeholder '" + m.group() + "' in '" + key + "' (only {arch} is replaced, by the "
            + "Home Assistant arch name: " + HaArch.names() + ")");
        return false;
      }
    }
    return true;
  }

  /** Whether the ref differs per platform through {@code {arch}}. */
  boolean hasArch() {
    return byPlatform == null && ((Scalar) node).text().contains(ARCH);
  }

  /** The platforms a mapping names, in file order; null for a single (template) ref. */
  java.util.List<Platform> platforms() {
    return byPlatform == null ? null : ((MapNode) node).entries().keySet().stream()
        .map(Platforms::parse).toList();
  }

  /** The ref for one platform, or null after recording why there is none. */
  ImageRef resolve(TypedYaml r, Platform p) {
    Scalar source;
    if (byPlatform != null) {
      source = byPlatform.get(p);
      if (source == null) {
        r.problem(node, key, "'" + key + "' names no image for " + p + " (it has: "
            + byPlatform.keySet().stream().map(Platform::toString).collect(Collectors.joining(", ")) + ")");
        return null;
      }
    } else {
      source = (Scalar) node;
    }
    String text = source.text();
    if (text.contains(ARCH)) {
      var ha = HaArch.fromPlatform(p);
      if (ha.isEmpty()) {
        String fix = key.startsWith("to") ? "build that platform separately, or write '" + key + "' without {arch}"
            : "give '" + key + "' as a mapping from platform to image";
        r.problem(source, key, "'" + key + "' uses {arch}, but Home Assistant has no arch name for " + p
            + " (it has " + HaArch.names() + "); " + fix);
        return null;
      }
      text = text.replace(ARCH, ha.get().haName());
    }
    return parseRef(r, source, key, text, baseDir);
  }

  /** Parses a reference, resolving relative layout/archive paths against {@code baseDir}. */
  static ImageRef parseRef(TypedYaml r, YamlNode at, String key, String text, Path baseDir) {
    ImageRef ref;
    try {
      ref = ImageRef.parse(text);
    } catch (IllegalArgumentException e) {
      r.problem(at, key, "bad image reference in '" + key + "': " + e.getMessage());
      return null;
    }
    if (baseDir == null || !at.pos().inFile()) {
      return ref; // a flag's or variable's path is relative to the working directory, where it was typed
    }
    if (ref instanceof ImageRef.OciLayout l && !l.dir().isAbsolute()) {
      return new ImageRef.OciLayout(baseDir.resolve(l.dir()).normalize(), l.tag());
    }
    if (ref instanceof ImageRef.OciArchive a && !a.file().isAbsolute()) {
      return new ImageRef.OciArchive(baseDir.resolve(a.file()).normalize(), a.tag());
    }
    if (ref instanceof ImageRef.DockerArchive d && !d.file().isAbsolute()) {
      return new ImageRef.DockerArchive(baseDir.resolve(d.file()).normalize(), d.name());
    }
    return ref;
  }
}
