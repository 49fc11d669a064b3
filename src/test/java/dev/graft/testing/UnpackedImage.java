package dev.graft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One platform of an image as skopeo copies and umoci unpacks it (independent judges of graft's
 * output), run the way a container would start it: chroot into the root file system with the
 * config's environment, through qemu-aarch64-static for arm64 (no binfmt_misc here).
 *
 * @param rootfs the unpacked root file system
 * @param arch the OCI architecture (amd64; arm64 and arm run under qemu-user)
 * @param env the image config's environment, in order
 * @param args the config's Entrypoint + Cmd
 */
public record UnpackedImage(Path rootfs, String arch, Map<String, String> env, List<String> args) {
  public UnpackedImage {
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    args = List.copyOf(args);
  }

  /** Copies {@code arch} of {@code ref} ({@code docker://…}, {@code oci:…}, {@code oci-archive:…}) and unpacks it under {@code dir}. */
  public static UnpackedImage of(Path dir, String ref, String arch) {
    return of(dir, ref, arch, false);
  }

  /**
   * As {@link #of(Path, String, String)}; {@code zstd}: the image has zstd layers, which Debian's
   * umoci cannot unpack, so skopeo (decompressing them itself) recompresses them to gzip on the way.
   */
  public static UnpackedImage of(Path dir, String ref, String arch, boolean zstd) {
    Tools.require("umoci");
    try {
      Files.createDirectories(dir);
      List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "-q", "--override-arch", arch));
      if (ref.startsWith("docker://")) {
        copy.add("--src-tls-verify=false");
      }
      if (zstd) {
        copy.addAll(List.of("--dest-compress", "--dest-compress-format", "gzip"));
      }
      copy.addAll(List.of(ref, "oci:" + dir.resolve("oci") + ":run"));
      Tools.run(Duration.ofMinutes(5), null, copy).assertSuccess(copy);
      Tools.runOk(Duration.ofMinutes(5), "umoci", "unpack", "--rootless", "--image", dir.resolve("oci") + ":run",
          dir.resolve("bundle").toString());
      JsonNode process = Json.MAPPER.readTree(Files.readString(dir.resolve("bundle/config.json"))).get("process");
      List<String> args = new ArrayList<>();
      process.get("args").forEach(a -> args.add(a.asText()));
      Map<String, String> env = new LinkedHashMap<>();
      process.get("env").forEach(e -> {
        String s = e.asText();
        env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
      });
      return new UnpackedImage(dir.resolve("bundle/rootfs"), arch, env, args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the config's Entrypoint + Cmd, the program looked up on the image's PATH. */
  public Tools.Result runEntrypoint() {
    return run(Map.of(), args.toArray(String[]::new));
  }

  /** Runs a command in the image with its environment plus {@code extraEnv}; a bare program name is looked up on PATH. */
  public Tools.Result run(Map<String, String> extraEnv, String... command) {
    List<String> cmd = new ArrayList<>(List.of("env", "-i"));
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(extraEnv);
    all.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(List.of(Tools.require("chroot").toString(), rootfs.toString()));
    String emulator = switch (arch) {
      case "arm64" -> "qemu-aarch64-static";
      case "arm" -> "qemu-arm-static";
      default -> null;
    };
    if (emulator != null) {
      Path qemu = rootfs.resolve(emulator);
      try {
        if (!Files.exists(qemu)) {
          Files.copy(Tools.require(emulator), qemu);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      cmd.add("/" + emulator);
    }
    List<String> argv = new ArrayList<>(List.of(command));
    argv.set(0, which(argv.get(0), all.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin")));
    cmd.addAll(argv);
    return Tools.run(Duration.ofMinutes(3), rootfs, cmd);
  }

  private String which(String name, String path) {
    if (name.startsWith("/")) {
      return name;
    }
    for (String dir : path.split(":")) {
      if (Files.exists(rootfs.resolve(dir.substring(1)).resolve(name))) {
        return dir + "/" + name;
      }
    }
    throw new AssertionError(name + " is not on the image's PATH " + path);
  }
}
