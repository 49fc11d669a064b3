package dev.graft.config;

import dev.graft.config.YamlNode.ListNode;
import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks the top level of graft.yaml (keys, types, values) and reads it into a {@link GraftSpec}. */
record GraftSpecReader(TypedYaml r, Path baseDir) {

  /** The spec; problems are recorded in the reader's {@link Problems} (the spec is partial then). */
  GraftSpec read(YamlNode rootNode) {
    MapNode root = r.map(rootNode, "graft.yaml", "a mapping (base, builder, platforms, layers, config, to, tags)");
    if (root == null) {
      return null;
    }
    r.checkKeys(root, "", Keys.TOP);
    RefTemplate base = root.get("base") == null ? null : RefTemplate.read(r, root.get("base"), "base", baseDir);
    RefTemplate builder = root.get("builder") == null ? null
        : RefTemplate.read(r, root.get("builder"), "builder", baseDir);
    List<Platform> platforms = root.get("platforms") == null ? null : platforms(root.get("platforms"));
    List<LayerItem> layers = layers(root.get("layers"));
    ImageConfigSpec config = root.get("config") == null ? ImageConfigSpec.EMPTY
        : new ImageConfigReader(r).read(root.get("config"));
    List<RefTemplate> to = root.get("to") == null ? List.of() : targets(root.get("to"));
    List<String> tags = root.get("tags") == null ? List.of() : tags(root.get("tags"));
    RefTemplate index = null;
    if (root.get("index") != null && !(root.get("index") instanceof Scalar)) {
      r.wrongType(root.get("index"), "index", "one image reference");
    } else if (root.get("index") != null) {
      index = RefTemplate.read(r, root.get("index"), "index", baseDir);
      if (index != null && index.hasArch()) {
        r.problem(root.get("index"), "index", "'index' names one multi-platform index, so it cannot use {arch}");
        index = null;
      }
    }
    ManifestFormat format = ManifestFormat.OCI;
    if (root.get("format") != null) {
      String f = r.string(root.get("format"), "format", "oci or docker");
      format = f == null ? format : switch (f) {
        case "oci" -> ManifestFormat.OCI;
        case "docker" -> ManifestFormat.DOCKER;
        default -> {
          r.problem(root.get("format"), "format", "'format' must be oci or docker, got '" + f + "'");
          yield ManifestFormat.OCI;
        }
      };
    }
    Compression compression = Compression.GZIP;
    int level = 0;
    if (root.get("compression") != null) {
      YamlNode c = root.get("compression");
      String text = c instanceof Scalar s ? s.text() : null;
      int colon = text == null ? -1 : text.indexOf(':');
      if (colon > 0) {
        level = level(c, text.substring(colon + 1), text.substring(0, colon));
        c = new Scalar(c.pos(), YamlNode.ScalarType.STRING, text.substring(0, colon));
      }
      compression = new LayerReader(r, baseDir, false).compression(c, "");
      if (compression == Compression.NONE && level > 0) {
        r.problem(root.get("compression"), "compression", "'none' has no level; write compression: none");
      }
    }
    if (root.get("dockerfile") != null) {
      r.problem(root.entries().get("dockerfile").keyPos(), "dockerfile", "'dockerfile' is read only for a Home "
          + "Assistant app: graft build --addon DIR (the app directory holds its Dockerfile and this graft.yaml)");
    }
    if (format == ManifestFormat.DOCKER && compression != null && compression != Compression.GZIP) {
      r.problem(root.get("compression"), "compression", "Docker manifests hold gzip layers only: with format: docker, "
          + "use compression: gzip (or format: oci for " + compression.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    Compression chosen = compression == null ? Compression.GZIP : compression;
    return new GraftSpec(baseDir, base, builder, platforms, layers, config, to, tags, index,
        format, chosen, compressionLevel(root, chosen, level), root);
  }

  /**
   * The level of layers of the top-level compression: {@code compressionLevel: N}, or the N of
   * {@code compression: ALGO:N} (the form Home Assistant's builder and --compression use); one of
   * the two, since a file giving both would leave the reader guessing. 0 (its default) when neither.
   */
  private int compressionLevel(MapNode root, Compression compression, int inCompression) {
    YamlNode n = root.get("compressionLevel");
    if (n == null) {
      return inCompression;
    }
    if (compression == Compression.NONE) {
      r.problem(n, "compressionLevel", "'compressionLevel' needs compression: gzip or zstd");
      return 0;
    }
    if (inCompression > 0) {
      r.problem(n, "compressionLevel", "the level is given twice, by 'compressionLevel' and by 'compression: "
          + ((Scalar) root.get("compression")).text() + "' (" + root.get("compression").pos() + "): keep one");
      return 0;
    }
    int max = compression == Compression.ZSTD ? 19 : 9;
    Integer level = r.integer(n, "compressionLevel", "a " + compression.name().toLowerCase(java.util.Locale.ROOT)
        + " level, 1 to " + max, 1, max);
    return level == null ? 0 : level;
  }

  /** The N of {@code zstd:N} / {@code gzip:N}; 0 after recording a problem. */
  private int level(YamlNode n, String text, String algorithm) {
    int max = algorithm.equals("zstd") ? 19 : 9;
    try {
      int level = Integer.parseInt(text);
      if (level >= 1 && level <= max) {
        return level;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    r.problem(n, "compression", "'compression' level must be 1.." + max + " for " + algorithm + " (e.g. "
        + algorithm + ":" + (max == 19 ? 9 : 6) + "), got '" + text + "'");
    return 0;
  }

  private List<Platform> platforms(YamlNode n) {
    ListNode l = r.list(n, "platforms", "a list of os/arch[/variant] (or Home Assistant arches)");
    if (l == null) {
      return null;
    }
    if (l.items().isEmpty()) {
      r.problem(n, "platforms", "'platforms' is empty; name at least one, e.g. [linux/amd64]");
      return null;
    }
    List<Platform> out = new ArrayList<>();
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String text = r.string(item, "platforms[" + i + "]", "os/arch[/variant]");
      if (text == null) {
        continue;
      }
      try {
        Platform p = Platforms.parse(text);
        if (out.contains(p)) {
          r.problem(item, "platforms[" + i + "]", "platform " + p + " is listed twice");
        }
        out.add(p);
      } catch (IllegalArgumentException e) {
        r.problem(item, "platforms[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  private List<LayerItem> layers(YamlNode n) {
    if (n == null) {
      return List.of();
    }
    ListNode l = r.list(n, "layers", "a list of layers");
    if (l == null) {
      return List.of();
    }
    LayerReader lr = new LayerReader(r, baseDir, false);
    List<LayerItem> out = new ArrayList<>();
    for (int i = 0; i < l.items().size(); i++) {
      LayerItem e = lr.readEntry(l.items().get(i), "layers[" + i + "]");
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private List<RefTemplate> targets(YamlNode n) {
    List<YamlNode> items = n instanceof ListNode l ? l.items() : List.of(n);
    List<RefTemplate> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String key = n instanceof ListNode ? "to[" + i + "]" : "to";
      YamlNode item = items.get(i);
      if (!(item instanceof Scalar)) {
        r.wrongType(item, key, "an image reference (or a list of them)");
        continue;
      }
      RefTemplate t = RefTemplate.read(r, item, key, baseDir);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  private List<String> tags(YamlNode n) {
    List<String> tags = r.strings(n, "tags", "a list of tags", true);
    if (tags == null) {
      return List.of();
    }
    ListNode l = (ListNode) n;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tags.size(); i++) {
      String t = tags.get(i);
      if (!ImageRef.TAG.matcher(t).matches()) {
        r.problem(l.items().get(i), "tags[" + i + "]", "bad tag '" + t + "' (up to 128 letters, digits, '_', '.' or '-', "
            + "not starting with '.' or '-')");
      } else if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }
}
