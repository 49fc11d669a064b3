package dev.graft.npm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A package-lock.json (or npm-shrinkwrap.json) of lockfileVersion 2 or 3: its root package and
 * every install path npm ci creates, in the file's order. Version 1 files name no install paths
 * and are refused with the command that upgrades them.
 *
 * @param file where it was read (for messages)
 * @param packages install path ({@code node_modules/a/node_modules/b}) to entry, root and
 *     workspace folders left out
 */
public record Lockfile(Path file, Optional<String> name, Optional<String> version, int lockfileVersion,
    Map<String, Boolean> rootDependencies, Map<String, LockedPackage> packages) {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  public Lockfile {
    Objects.requireNonNull(file, "file");
    rootDependencies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rootDependencies));
    packages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(packages));
  }

  /** Reads and checks a lockfile; errors name the file and what to run. */
  public static Lockfile read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NpmException("lockfile " + file + " does not exist (run 'npm install --package-lock-only' in "
          + (file.getParent() == null ? "." : file.getParent()) + " to make one)");
    }
    return parse(file, Files.readAllBytes(file));
  }

  /** Parses lockfile bytes; {@code file} names it in errors. */
  public static Lockfile parse(Path file, byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new NpmException("lockfile " + file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new NpmException("lockfile " + file + " is not a JSON object");
    }
    int v = root.path("lockfileVersion").asInt(0);
    if (v == 1 || (v == 0 && root.has("dependencies"))) {
      throw new NpmException("lockfile " + file + " has lockfileVersion " + v + ", which names no install paths; "
          + "upgrade it with 'npm install --package-lock-only' (npm 7 or later) and commit the result");
    }
    if (v != 2 && v != 3) {
      throw new NpmException("lockfile " + file + " has lockfileVersion " + root.path("lockfileVersion")
          + "; graft reads versions 2 and 3 (npm 7 and later)");
    }
    JsonNode pkgs = root.get("packages");
    if (pkgs == null || !pkgs.isObject()) {
      throw new NpmException("lockfile " + file + " has no 'packages' map");
    }
    Map<String, LockedPackage> out = new LinkedHashMap<>();
    Map<String, Boolean> rootDeps = Map.of();
    for (Iterator<Map.Entry<String, JsonNode>> it = pkgs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = e.getKey();
      if (!e.getValue().isObject()) {
        throw new NpmException("lockfile " + file + ": packages['" + path + "'] is not an object");
      }
      ObjectNode entry = (ObjectNode) e.getValue();
      if (path.isEmpty()) {
        rootDeps = dependencies(entry, true);
        continue;
      }
      if (!isInstallPath(path)) {
        continue; // a workspace's own folder; its node_modules link is refused below if used
      }
      out.put(path, entry(file, path, entry));
    }
    return new Lockfile(file, text(root, "name"), text(root, "version"), v, rootDeps, out);
  }

  /** Whether a packages key is a folder under node_modules (not the root or a workspace folder). */
  static boolean isInstallPath(String path) {
    return path.startsWith("node_modules/") || path.contains("/node_modules/");
  }

  private static LockedPackage entry(Path file, String path, ObjectNode n) {
    String folderName = folderName(path);
    String where = "lockfile " + file + ": packages['" + path + "']";
    if (folderName.isEmpty() || path.contains("/../") || path.contains("\\") || path.startsWith("/")
        || path.endsWith("/") || path.contains("//") || path.contains("/./")) {
      throw new NpmException(where + " is not an install path graft can lay out");
    }
    String name = text(n, "name").orElse(folderName);
    String version = text(n, "version").orElse("");
    LockedPackage.Flags flags = new LockedPackage.Flags(bool(n, "dev"), bool(n, "optional"), bool(n, "devOptional"),
        bool(n, "peer"));
    Optional<Integrity> integrity = text(n, "integrity").map(s -> Integrity.parse(s, where));
    Map<String, String> bin = Bins.normalise(n.get("bin"), name);
    return new LockedPackage(path, name, version, text(n, "resolved"), integrity, license(n.get("license")), flags,
        bool(n, "inBundle"), bool(n, "hasInstallScript"), strings(n.get("os")), strings(n.get("cpu")),
        strings(n.get("libc")), bin, dependencies(n, false), n);
  }

  /** The folder's package name: the last {@code node_modules/} segment, scoped names kept whole. */
  static String folderName(String path) {
    int i = path.lastIndexOf("node_modules/");
    return i < 0 ? "" : path.substring(i + "node_modules/".length());
  }

  /** Dependency names, each with whether its edge is optional (optional or optional peer). */
  private static Map<String, Boolean> dependencies(ObjectNode n, boolean root) {
    Map<String, Boolean> deps = new LinkedHashMap<>();
    JsonNode peerMeta = n.path("peerDependenciesMeta");
    n.path("peerDependencies").fieldNames().forEachRemaining(k ->
        deps.put(k, peerMeta.path(k).path("optional").asBoolean(false)));
    if (root) {
      n.path("devDependencies").fieldNames().forEachRemaining(k -> deps.put(k, false));
    }
    n.path("dependencies").fieldNames().forEachRemaining(k -> deps.put(k, false));
    n.path("optionalDependencies").fieldNames().forEachRemaining(k -> deps.put(k, true));
    return deps;
  }

  /** SPDX text; an old {@code {type: …}} object gives its type. */
  private static Optional<String> license(JsonNode n) {
    if (n == null) {
      return Optional.empty();
    }
    if (n.isTextual()) {
      return Optional.of(n.asText());
    }
    return n.isObject() && n.path("type").isTextual() ? Optional.of(n.path("type").asText()) : Optional.empty();
  }

  private static Optional<String> text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
  }

  private static boolean bool(JsonNode n, String key) {
    return n.path(key).asBoolean(false);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      n.forEach(x -> {
        if (x.isTextual()) {
          out.add(x.asText());
        }
      });
    }
    return out;
  }
}
