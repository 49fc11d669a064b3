package dev.graft.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.verify.image.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The npm packages in an image's node_modules directories, read as npm itself records them: each
 * package's package.json (name, version, license) and the project's lockfile for integrity and
 * resolved URL: npm's hidden lockfile {@code node_modules/.package-lock.json} (written by every
 * install), else {@code package-lock.json} beside node_modules. Keys in both are the package's
 * path relative to the project ("node_modules/a/node_modules/b").
 */
public final class NpmPackages {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_JSON_BYTES = 16 << 20;

  private NpmPackages() {}

  /** Every package directory found under the given package.json paths (e.g. from a tree walk), sorted by path. */
  public static List<NpmComponent> read(ImageFiles files, List<String> packageJsonPaths) {
    Map<String, Optional<JsonNode>> lockfiles = new HashMap<>();
    List<NpmComponent> out = new ArrayList<>();
    for (String pj : packageJsonPaths.stream().sorted().toList()) {
      String dir = pj.substring(0, pj.length() - "/package.json".length());
      int nm = dir.indexOf("/node_modules/");
      if (nm < 0 || !isPackageDir(dir)) {
        continue;
      }
      Optional<JsonNode> manifest = json(files, pj);
      if (manifest.isEmpty() || !manifest.get().path("name").isTextual()) {
        continue;
      }
      String project = dir.substring(0, nm);
      String key = dir.substring(nm + 1); // "node_modules/…"
      Optional<JsonNode> lock = lockfiles.computeIfAbsent(project, p -> lockfile(files, p));
      JsonNode locked = lock.map(l -> l.path("packages").path(key)).orElse(JSON.missingNode());
      JsonNode m = manifest.get();
      out.add(new NpmComponent(dir, m.path("name").asText(), m.path("version").asText(""), license(m, locked),
          locked.path("integrity").asText(""), locked.path("resolved").asText("")));
    }
    return out;
  }

  /** A directory right under node_modules (or under an @scope there): not a package's own subfolder. */
  static boolean isPackageDir(String dir) {
    String[] parts = dir.split("/");
    int n = parts.length;
    if (n >= 2 && parts[n - 2].equals("node_modules") && !parts[n - 1].startsWith(".")) {
      return true;
    }
    return n >= 3 && parts[n - 3].equals("node_modules") && parts[n - 2].startsWith("@");
  }

  private static String license(JsonNode manifest, JsonNode locked) {
    if (locked.path("license").isTextual()) {
      return locked.path("license").asText();
    }
    JsonNode l = manifest.path("license");
    if (l.isTextual()) {
      return l.asText();
    }
    if (l.isObject() && l.path("type").isTextual()) { // the old {"type": "MIT", "url": …} form
      return l.path("type").asText();
    }
    return "";
  }

  private static Optional<JsonNode> lockfile(ImageFiles files, String project) {
    Optional<JsonNode> hidden = json(files, project + "/node_modules/.package-lock.json");
    return hidden.isPresent() ? hidden : json(files, project + "/package-lock.json");
  }

  private static Optional<JsonNode> json(ImageFiles files, String path) {
    Optional<ImageFiles.Entry> e = files.lstat(path);
    if (e.isEmpty() || !e.get().isFile() || e.get().size() > MAX_JSON_BYTES) {
      return Optional.empty();
    }
    try (InputStream in = files.open(path)) {
      JsonNode n = JSON.readTree(in.readNBytes(MAX_JSON_BYTES));
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (IOException e2) {
      return Optional.empty(); // a broken package.json is npm's problem; the package is left out
    }
  }
}
