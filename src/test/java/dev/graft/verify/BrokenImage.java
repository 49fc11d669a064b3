package dev.graft.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.cli.Main;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.NpmFixtures;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.Rootfs;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image made the way users make broken ones: a real base (Alpine minirootfs, a debootstrap
 * Debian, or nothing) plus one layer of real files, with an Entrypoint. {@link #build} writes it
 * as an OCI layout (the base tarball is the base layer, as is) for {@code graft verify}, and
 * unpacks the very same two layer tars into a root filesystem, where {@link Built#run} starts
 * the Entrypoint under chroot (qemu-user for other architectures) with the config's Env.
 */
final class BrokenImage {
  /**
   * Base tarballs unpacked once per test class (a Debian rootfs takes seconds to unpack) and
   * hard-link copied for each image: a layer's files are new paths, and tar unlinks a file before
   * replacing it, so no image writes through a link into the shared copy.
   */
  static final class Bases {
    private final Path dir;
    private final java.util.Map<Path, Path> unpacked = new java.util.HashMap<>();

    Bases(Path dir) {
      this.dir = dir;
    }

    synchronized Path unpacked(Path tarball) {
      return unpacked.computeIfAbsent(tarball, t -> {
        Path to = mkdirs(dir.resolve("base-" + unpacked.size()));
        Tools.runOk(Duration.ofMinutes(5), "tar", "-xf", t.toString(), "-C", to.toString(), "--numeric-owner");
        return to;
      });
    }
  }

  private final Bases bases;
  private final Path dir;
  private final Path base; // null: FROM scratch
  private final Platform platform;
  private final Path staging;
  private final List<String> env = new ArrayList<>(List.of(AlpineImages.PATH));
  private List<String> entrypoint = List.of();

  private BrokenImage(Bases bases, Path dir, Path base, Platform platform) {
    this.bases = bases;
    this.dir = dir;
    this.base = base;
    this.platform = platform;
    this.staging = dir.resolve("layer");
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BrokenImage alpine(Bases bases, String version, Platform platform, Path dir) {
    return new BrokenImage(bases, dir, TestData.alpine(version, AlpineImages.ARCHES.get(platform)), platform);
  }

  /** Debian bookworm (debootstrap minbase), linux/amd64. */
  static BrokenImage debian(Bases bases, Path dir) {
    return new BrokenImage(bases, dir, TestData.debianRootfs("bookworm", "minbase"), Platform.LINUX_AMD64);
  }

  /** No base at all (a Dockerfile's FROM scratch). */
  static BrokenImage scratch(Platform platform, Path dir) {
    return new BrokenImage(null, dir, null, platform);
  }

  BrokenImage copy(Path from, String imagePath) {
    Path to = host(imagePath);
    mkdirs(to.getParent());
    Tools.runOk(Duration.ofMinutes(2), "cp", "-a", "--no-preserve=ownership", from.toString(), to.toString());
    return this;
  }

  /** Copies an npm fixture to {@code /app/node_modules/<name>}. */
  BrokenImage placePackage(String spec) {
    return copy(NpmFixtures.pkg(spec), "/app/node_modules/" + NpmFixtures.name(spec));
  }

  BrokenImage write(String imagePath, String text, boolean executable) {
    Path to = host(imagePath);
    mkdirs(to.getParent());
    try {
      Files.writeString(to, text);
      to.toFile().setExecutable(executable, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  BrokenImage entrypoint(String... command) {
    entrypoint = List.of(command);
    return this;
  }

  Built build() {
    try {
      Path layer = dir.resolve("layer.tar");
      List<String> tar = new ArrayList<>(List.of("tar", "-cf", layer.toString(), "-C", staging.toString(),
          "--owner=0", "--group=0", "--numeric-owner", "--sort=name", "--mtime=@1"));
      try (Stream<Path> top = Files.list(staging)) {
        top.map(p -> p.getFileName().toString()).sorted().forEach(tar::add);
      }
      Tools.runOk(Duration.ofMinutes(2), tar.toArray(String[]::new));
      List<Path> layers = base == null ? List.of(layer) : List.of(base, layer);

      // what a runtime does with the layers (none of ours holds whiteouts)
      Path rootfs = dir.resolve("rootfs");
      if (base == null) {
        mkdirs(rootfs);
      } else {
        Tools.runOk(Duration.ofMinutes(2), "cp", "-al", bases.unpacked(base).toString(), rootfs.toString());
      }
      Tools.runOk(Duration.ofMinutes(2), "tar", "-xf", layer.toString(), "-C", rootfs.toString(), "--numeric-owner");
      Path oci = dir.resolve("oci");
      writeLayout(oci, layers);
      return new Built("oci:" + oci + ":broken", new Rootfs(rootfs, switch (platform.architecture()) {
        case "amd64" -> "x86_64";
        case "arm64" -> "aarch64";
        case "arm" -> "armv7";
        default -> throw new IllegalArgumentException(platform.toString());
      }), List.copyOf(env), entrypoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeLayout(Path oci, List<Path> layers) throws IOException {
    Path blobs = mkdirs(oci.resolve("blobs/sha256"));
    ObjectNode config = Json.object();
    config.put("architecture", platform.architecture()).put("os", platform.os());
    if (platform.variant() != null) {
      config.put("variant", platform.variant());
    }
    ObjectNode c = config.putObject("config");
    env.forEach(c.putArray("Env")::add);
    entrypoint.forEach(c.putArray("Entrypoint")::add);
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    ObjectNode manifest = Json.object().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    for (Path l : layers) {
      boolean gzip = l.getFileName().toString().endsWith(".gz");
      String digest = OciLayouts.sha256(l, false);
      Path blob = blobs.resolve(digest);
      if (!Files.exists(blob)) {
        try {
          Files.createLink(blob, l); // the Debian rootfs is 170 MB: link, do not copy
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(l, blob);
        }
      }
      rootfs.withArray("diff_ids").add("sha256:" + (gzip ? OciLayouts.sha256(l, true) : digest));
      manifest.withArray("layers").addObject()
          .put("mediaType", "application/vnd.oci.image.layer.v1.tar" + (gzip ? "+gzip" : ""))
          .put("digest", "sha256:" + digest).put("size", Files.size(l));
    }
    byte[] configBytes = Json.write(config);
    manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
        .put("digest", "sha256:" + put(blobs, configBytes)).put("size", configBytes.length);
    byte[] manifestBytes = Json.write(manifest);
    ObjectNode index = Json.object().put("schemaVersion", 2);
    index.withArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .put("digest", "sha256:" + put(blobs, manifestBytes)).put("size", manifestBytes.length)
        .putObject("annotations").put("org.opencontainers.image.ref.name", "broken");
    Files.write(oci.resolve("index.json"), Json.write(index));
    Files.writeString(oci.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  private static String put(Path blobs, byte[] bytes) throws IOException {
    String digest;
    try {
      digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    Files.write(blobs.resolve(digest), bytes);
    return digest;
  }

  private Path host(String imagePath) {
    return staging.resolve(imagePath.substring(1));
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built image: its {@code oci:} reference and its layers unpacked for running. */
  record Built(String ref, Rootfs rootfs, List<String> env, List<String> entrypoint) {
    /** {@code graft verify REF --json [ARGS]}: the exit code and the findings. */
    Verdict verify(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      List<String> argv = new ArrayList<>(List.of("verify", ref, "--json"));
      argv.addAll(List.of(args));
      int code = Main.run(new PrintWriter(out), new PrintWriter(err), argv.toArray(String[]::new));
      try {
        JsonNode findings = code <= 1 ? Json.MAPPER.readTree(out.toString()).path("images").get(0).path("findings") : null;
        return new Verdict(code, findings, err.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Starts the Entrypoint (plus {@code args}) as a runtime would: chroot, only the config's Env. */
    Tools.Result run(String... args) {
      List<String> cmd = new ArrayList<>(List.of("env", "-i"));
      cmd.addAll(env);
      List<String> argv = new ArrayList<>(entrypoint);
      argv.addAll(List.of(args));
      cmd.addAll(rootfs.chroot(argv.toArray(String[]::new)));
      return Tools.run(Duration.ofMinutes(2), null, cmd);
    }

    /** {@link #run} with /proc mounted, as a container runtime has it. */
    Tools.Result runWithProc(String... args) {
      List<String> cmd = new ArrayList<>(List.of("env", "-i"));
      cmd.addAll(env);
      List<String> argv = new ArrayList<>(entrypoint);
      argv.addAll(List.of(args));
      cmd.addAll(rootfs.chrootWithProc(argv.toArray(String[]::new)));
      return Tools.run(Duration.ofMinutes(2), null, cmd);
    }
  }

  /** What {@code graft verify --json} said. */
  record Verdict(int exitCode, JsonNode findings, String err) {
    /** The findings as "SEVERITY CODE PATH" lines, for exact assertions. */
    List<String> codes() {
      List<String> out = new ArrayList<>();
      findings.forEach(f -> out.add(f.path("severity").asText() + " " + f.path("code").asText() + " "
          + f.path("path").asText()));
      return out;
    }

    String message(String code) {
      for (JsonNode f : findings) {
        if (f.path("code").asText().equals(code)) {
          return f.path("message").asText() + "\nfix: " + f.path("fix").asText();
        }
      }
      throw new AssertionError("no " + code + " finding in " + findings);
    }
  }

}
