package dev.graft.verify.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an installed package's {@code package.json} verification reads.
 *
 * @param dir the package directory in the image
 * @param os {@code os} field (e.g. {@code ["linux"]}, {@code ["!win32"]})
 * @param cpu {@code cpu} field (npm names: x64, arm64, arm, ia32)
 * @param libc {@code libc} field ({@code glibc} / {@code musl})
 * @param optionalDependencies name → version range
 * @param dependencies name → version range
 */
public record NpmPackage(String dir, String name, String version, List<String> os, List<String> cpu,
    List<String> libc, Map<String, String> optionalDependencies, Map<String, String> dependencies) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_PACKAGE_JSON = 4 << 20;

  public NpmPackage {
    Objects.requireNonNull(dir, "dir");
    name = name == null ? "" : name;
    version = version == null ? "" : version;
    os = List.copyOf(os);
    cpu = List.copyOf(cpu);
    libc = List.copyOf(libc);
    optionalDependencies = Map.copyOf(optionalDependencies);
    dependencies = Map.copyOf(dependencies);
  }

  /** {@code name@version}, as people write it. */
  public String id() {
    return version.isEmpty() ? name : name + "@" + version;
  }

  /** The package that contains an image path: the nearest package.json with a name, going up. */
  public static Optional<NpmPackage> owning(ImageFiles files, String path) {
    for (String dir = ImagePaths.parent(path); ; dir = ImagePaths.parent(dir)) {
      Optional<NpmPackage> p = read(files, dir);
      if (p.isPresent() && !p.get().name().isEmpty()) {
        return p;
      }
      if (dir.equals("/")) {
        return Optional.empty();
      }
    }
  }

  /** The package whose package.json is in {@code dir}; empty if none or unreadable. */
  public static Optional<NpmPackage> read(ImageFiles files, String dir) {
    Optional<ResolvedPath> r = ImagePaths.resolve(files, ImagePaths.join(dir, "package.json"));
    if (r.isEmpty() || !r.get().entry().isFile()) {
      return Optional.empty();
    }
    // Judged by reading, not by the entry's size: conclusions depend on content only (VerifyTrace).
    JsonNode n;
    try (InputStream in = files.open(r.get().path())) {
      byte[] bytes = in.readNBytes((int) MAX_PACKAGE_JSON + 1);
      if (bytes.length > MAX_PACKAGE_JSON) {
        return Optional.empty();
      }
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      return Optional.empty(); // a broken package.json is npm's problem, not a loader verdict
    }
    if (n == null || !n.isObject()) {
      return Optional.empty();
    }
    Map<String, String> opt = new TreeMap<>();
    n.path("optionalDependencies").fields().forEachRemaining(e -> opt.put(e.getKey(), e.getValue().asText()));
    Map<String, String> deps = new TreeMap<>();
    n.path("dependencies").fields().forEachRemaining(e -> deps.put(e.getKey(), e.getValue().asText()));
    return Optional.of(new NpmPackage(dir, n.path("name").asText(null), n.path("version").asText(null),
        strings(n.get("os")), strings(n.get("cpu")), strings(n.get("libc")), opt, deps));
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(e -> out.add(e.asText()));
    } else if (n != null && n.isTextual()) {
      out.add(n.asText());
    }
    return out;
  }
}
