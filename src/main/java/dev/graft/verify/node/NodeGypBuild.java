package dev.graft.verify.node;

import dev.graft.oci.Require;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.loader.ImageContext;
import java.util.List;
import java.util.Optional;

/**
 * What node-gyp-build (4.x, and 3.x where a package pins it) computes at load time to choose an
 * addon, as it would in the image: {@code platform} and {@code arch} ({@code npm_config_platform},
 * {@code npm_config_arch}, else node's own), {@code libc} ({@code LIBC}, else {@code musl} when
 * {@code /etc/alpine-release} exists, else {@code glibc}: it looks at the file system, not at the
 * node binary, so a glibc node on Alpine gets musl addons), {@code armv} ({@code ARM_VERSION}, else
 * 8 on arm64 and node's {@code arm_version} on arm), the ABI ({@code process.versions.modules}),
 * libuv's major version and {@code PREBUILDS_ONLY}. The environment is the image config's.
 *
 * @param libcReason why libc is what it is, for messages (e.g. "/etc/alpine-release exists")
 * @param abi node's NODE_MODULE_VERSION as a string ("" when unknown: then only N-API builds match)
 * @param execDir the directory of node's executable ({@code prebuilds/} there is searched too), or null
 * @param env the image config's environment ({@code <NAME>_PREBUILD} overrides a package's directory)
 */
public record NodeGypBuild(String platform, String arch, String libc, String libcReason, String armv, String abi,
    String uv, boolean prebuildsOnly, String execDir, List<String> env) {
  /** libuv has been 1.x since Node 0.12. */
  static final String UV_MAJOR = "1";

  public NodeGypBuild {
    Require.nonNull("platform, arch, libc, libcReason, armv, abi, uv", platform, arch, libc, libcReason, armv, abi, uv);
    env = List.copyOf(env);
  }

  /** node-gyp-build's variables in this image, for node at {@code nodePath} with ABI {@code moduleVersion} (-1: unknown). */
  public static NodeGypBuild of(ImageContext ctx, NpmPlatform p, String nodePath, int moduleVersion) {
    String platform = nonEmpty(ctx.envValue("npm_config_platform")).orElse(p.os());
    String arch = nonEmpty(ctx.envValue("npm_config_arch")).orElse(p.cpu());
    String libc;
    String reason;
    Optional<String> env = nonEmpty(ctx.envValue("LIBC"));
    if (env.isPresent()) {
      libc = env.get();
      reason = "LIBC=" + libc + " is set in the image's environment";
    } else if (platform.equals("linux") && ImagePaths.resolve(ctx.files(), "/etc/alpine-release").isPresent()) {
      libc = "musl";
      reason = "/etc/alpine-release exists and LIBC is not set";
    } else {
      libc = "glibc";
      reason = "/etc/alpine-release does not exist and LIBC is not set";
    }
    String armv = nonEmpty(ctx.envValue("ARM_VERSION"))
        .orElse(arch.equals("arm64") ? "8" : p.armVersion() == null ? "" : p.armVersion());
    return new NodeGypBuild(platform, arch, libc, reason, armv, moduleVersion < 0 ? "" : String.valueOf(moduleVersion),
        UV_MAJOR, nonEmpty(ctx.envValue("PREBUILDS_ONLY")).isPresent(),
        nodePath == null ? null : ImagePaths.parent(nodePath), ctx.env());
  }

  /** The same with another libc, as {@code LIBC=<libc>} in the environment would give. */
  public NodeGypBuild withLibc(String otherLibc) {
    return new NodeGypBuild(platform, arch, otherLibc, "LIBC=" + otherLibc, armv, abi, uv, prebuildsOnly, execDir, env);
  }

  /** A variable of the image's environment, if set to a non-empty value (JavaScript's truthiness). */
  Optional<String> env(String name) {
    Optional<String> out = Optional.empty();
    for (String e : env) {
      if (e.startsWith(name + "=")) {
        out = Optional.of(e.substring(name.length() + 1));
      }
    }
    return nonEmpty(out);
  }

  private static Optional<String> nonEmpty(Optional<String> v) {
    return v.filter(s -> !s.isEmpty());
  }

  /** How node-gyp-build would name this target in its "No native build was found for …" error. */
  @Override
  public String toString() {
    return "platform=" + platform + " arch=" + arch + " runtime=node abi=" + (abi.isEmpty() ? "?" : abi) + " uv=" + uv
        + (armv.isEmpty() ? "" : " armv=" + armv) + " libc=" + libc;
  }
}
