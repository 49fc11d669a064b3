package dev.graft.verify.node;

import dev.graft.elf.ElfFile;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import dev.graft.verify.loader.ImageContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node binary of an image, as addons see it: version, ABI ({@code NODE_MODULE_VERSION}) and
 * the Node-API functions it exports.
 *
 * @param path the node binary's resolved path
 * @param version e.g. {@code 20.20.2}
 * @param moduleVersion NODE_MODULE_VERSION, or -1 if unknown
 * @param napiVersion the Node-API version from the headers, or -1 if no headers are installed
 * @param exportedNodeApi the napi_* / node_api_* functions the binary exports
 * @param source where the version came from (for messages)
 */
public record NodeRuntime(String path, String version, int moduleVersion, int napiVersion,
    List<String> exportedNodeApi, String source) {
  /** NODE_MODULE_VERSION of each release line (node's doc/abi_version_registry.json). */
  static final Map<Integer, Integer> MODULE_VERSIONS = Map.ofEntries(
      Map.entry(12, 72), Map.entry(13, 79), Map.entry(14, 83), Map.entry(15, 88), Map.entry(16, 93),
      Map.entry(17, 102), Map.entry(18, 108), Map.entry(19, 111), Map.entry(20, 115), Map.entry(21, 120),
      Map.entry(22, 127), Map.entry(23, 131), Map.entry(24, 137), Map.entry(25, 141));
  private static final Pattern RELEASE = Pattern.compile("download/release/v(\\d+\\.\\d+\\.\\d+)/node-v");
  // Node 22 renamed the runtime's NAPI_VERSION to NODE_API_SUPPORTED_VERSION_MAX; Node 16 writes two spaces
  private static final Pattern DEFINE = Pattern.compile("#define\\s+(NODE_MAJOR_VERSION|NODE_MINOR_VERSION|"
      + "NODE_PATCH_VERSION|NODE_MODULE_VERSION|NAPI_VERSION|NODE_API_SUPPORTED_VERSION_MAX)[ \\t]+(\\d+)");

  public NodeRuntime {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(version, "version");
    exportedNodeApi = List.copyOf(exportedNodeApi);
  }

  public int major() {
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }

  /**
   * The Node-API version this node supports: from its headers when installed, else from its
   * version (Node's Node-API version matrix); -1 before Node-API 8, which graft does not judge.
   */
  public int nodeApiVersion() {
    if (napiVersion >= 0) {
      return napiVersion;
    }
    String[] v = version.split("\\.");
    int major = Integer.parseInt(v[0]);
    int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
    if (major >= 24 || major == 23 && minor >= 6 || major == 22 && minor >= 14) {
      return 10;
    }
    if (major >= 21 || major == 20 && minor >= 3 || major == 18 && minor >= 17) {
      return 9;
    }
    if (major >= 16 || major == 15 && minor >= 12 || major == 14 && minor >= 17 || major == 12 && minor >= 22) {
      return 8;
    }
    return -1;
  }

  /**
   * Whether this node reads the Node-API version an addon declares (Node 20+ looks up
   * node_api_module_get_api_version_v1 by name; Node 16 does not): streams the binary once.
   */
  public boolean readsDeclaredNodeApiVersion(ImageFiles files) {
    byte[] needle = dev.graft.elf.NodeSymbols.GET_API_VERSION.getBytes(StandardCharsets.ISO_8859_1);
    try (InputStream in = files.open(path)) {
      byte[] buf = new byte[1 << 20];
      String carry = "";
      int n;
      String text = new String(needle, StandardCharsets.ISO_8859_1);
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        String chunk = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        if (chunk.contains(text)) {
          return true;
        }
        carry = chunk.substring(Math.max(0, chunk.length() - needle.length));
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Node major version an ABI belongs to, for messages ("Node 18"). */
  public static String nodeLineOf(int moduleVersion) {
    return MODULE_VERSIONS.entrySet().stream().filter(e -> e.getValue() == moduleVersion)
        .map(e -> "Node " + e.getKey()).findFirst().orElse("an unknown Node version");
  }

  /**
   * Reads node's version from the headers installed beside it ({@code <prefix>/include/node/node_version.h},
   * as official tarballs and Docker images ship them), else from the release URL compiled into
   * official builds. Empty if the path is not a node binary graft can identify.
   */
  public static Optional<NodeRuntime> detect(ImageContext ctx, String nodePath) {
    Optional<ResolvedPath> rp = ImagePaths.resolve(ctx.files(), nodePath).filter(r -> r.entry().isFile());
    if (rp.isEmpty() || !ctx.elfs().isElf(rp.get().path())) {
      return Optional.empty();
    }
    String real = rp.get().path();
    ElfFile elf = ctx.elfs().get(real);
    List<String> napi = elf.nodeSymbols().exportedNodeApi();
    String header = ImagePaths.join(ImagePaths.parent(ImagePaths.parent(real)), "include/node/node_version.h");
    Optional<String> text = ImagePaths.resolve(ctx.files(), header).filter(r -> r.entry().isFile())
        .map(r -> read(ctx.files(), r.path(), 1 << 20));
    if (text.isPresent()) {
      int[] v = {-1, -1, -1, -1, -1};
      Matcher m = DEFINE.matcher(text.get());
      while (m.find()) {
        int i = List.of("NODE_MAJOR_VERSION", "NODE_MINOR_VERSION", "NODE_PATCH_VERSION", "NODE_MODULE_VERSION",
            "NAPI_VERSION").indexOf(m.group(1).equals("NODE_API_SUPPORTED_VERSION_MAX") ? "NAPI_VERSION" : m.group(1));
        v[i] = Integer.parseInt(m.group(2));
      }
      if (v[0] >= 0 && v[1] >= 0 && v[2] >= 0) {
        return Optional.of(new NodeRuntime(real, v[0] + "." + v[1] + "." + v[2],
            v[3] >= 0 ? v[3] : MODULE_VERSIONS.getOrDefault(v[0], -1), v[4], napi, header));
      }
    }
    return scanRelease(ctx.files(), real).map(ver -> new NodeRuntime(real, ver,
        MODULE_VERSIONS.getOrDefault(Integer.parseInt(ver.substring(0, ver.indexOf('.'))), -1), -1, napi,
        "the release URL in " + real));
  }

  private static String read(ImageFiles files, String path, int max) {
    try (InputStream in = files.open(path)) {
      return new String(in.readNBytes(max), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Streams the binary once looking for the release URL; chunks overlap so a match is never split. */
  private static Optional<String> scanRelease(ImageFiles files, String path) {
    try (InputStream in = files.open(path)) {
      byte[] buf = new byte[1 << 20];
      String carry = "";
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        String chunk = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        Matcher m = RELEASE.matcher(chunk);
        if (m.find()) {
          return Optional.of(m.group(1));
        }
        carry = chunk.substring(Math.max(0, chunk.length() - 64));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
