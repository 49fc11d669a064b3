package dev.graft.cli;

import dev.graft.config.AddonReader;
import dev.graft.config.BuildPlan;
import dev.graft.config.ConfigException;
import dev.graft.config.GraftConfig;
import dev.graft.config.LocalSources;
import dev.graft.config.Overrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the build configuration comes from and the flags that override it (a picocli mixin for
 * every command that needs a {@link BuildPlan}). Flags beat GRAFT_* variables, which beat the file.
 */
public final class ConfigOptions {
  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The graft.yaml to read, or a directory holding one (default: ./graft.yaml).")
  Path file;

  @Option(names = "--addon", paramLabel = "DIR",
      description = "A Home Assistant app (add-on) directory: reads its config.yaml, Dockerfile (or legacy build.yaml) "
          + "and graft.yaml; writes {arch}-NAME images and the NAME index, as HA's builder does.")
  Path addon;

  @Option(names = "--build-arg", paramLabel = "NAME=VALUE",
      description = "A build argument for the app's Dockerfile (repeatable; with --addon; wins over graft.yaml's "
          + "dockerfile.args).")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--compression", paramLabel = "ALGO[:LEVEL]",
      description = "Compression of new layers: gzip, zstd or none, with an optional level (zstd:9, gzip:6); "
          + "replaces 'compression' and 'compressionLevel' (apps default to zstd:9). "
          + "The level alone: --set compressionLevel=N.")
  String compression;

  @Option(names = "--to", paramLabel = "REF", description = "Where to write the image (repeatable; replaces 'to').")
  List<String> to = new ArrayList<>();

  @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "A tag to push (repeatable; replaces 'tags').")
  List<String> tags = new ArrayList<>();

  @Mixin
  PlatformOption platform;

  @Option(names = "--base", paramLabel = "REF", description = "The base image (replaces 'base'; {arch} allowed).")
  String base;

  @Option(names = "--index", paramLabel = "REF", description = "Also write one multi-platform index here.")
  String index;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set any graft.yaml value by dotted key, e.g. config.env.NODE_ENV=production (repeatable).")
  List<String> sets = new ArrayList<>();

  /**
   * The configuration files the plan is read from, by file name (never a host path), with their
   * digests: what a provenance statement names as the build's definition.
   */
  public java.util.Map<String, dev.graft.oci.Digest> files() throws java.io.IOException {
    java.util.Map<String, dev.graft.oci.Digest> out = new java.util.TreeMap<>();
    List<Path> candidates = addon != null
        ? List.of(addon.resolve("config.yaml"), addon.resolve("build.yaml"), addon.resolve("graft.yaml"))
        : List.of(file == null ? Path.of("graft.yaml") : Files.isDirectory(file) ? file.resolve("graft.yaml") : file);
    for (Path f : candidates) {
      if (Files.isRegularFile(f)) {
        out.put(f.getFileName().toString(), dev.graft.oci.Digest.sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  @Option(names = "--allow-outside", paramLabel = "DIR",
      description = {"Allow local 'from:' directories inside DIR though they lie",
          "outside graft.yaml's directory (repeatable). Without it they are",
          "refused: a graft.yaml could copy any host file into the image."})
  List<Path> allowOutside = new ArrayList<>();

  /** The validated plan; configuration problems become a user error listing them all. */
  public BuildPlan plan(Map<String, String> env) {
    if (file != null && addon != null) {
      throw new UserError("give either --file or --addon, not both (an add-on's graft.yaml is read from its directory)");
    }
    if (!buildArgs.isEmpty() && addon == null) {
      throw new UserError("--build-arg is for a Home Assistant app's Dockerfile: use it with --addon DIR");
    }
    Overrides flags = Overrides.fromFlags(to.stream().map(ConfigOptions::fromWorkingDir).toList(), tags, platform.texts(),
        base == null ? null : fromWorkingDir(base), index == null ? null : fromWorkingDir(index), sets);
    List<Overrides.Setting> extra = new ArrayList<>();
    if (compression != null) {
      extra.add(new Overrides.Setting("compression=" + compression, "--compression " + compression));
    }
    for (String a : buildArgs) {
      if (a.indexOf('=') <= 0) {
        throw new UserError("--build-arg needs NAME=VALUE, got '" + a + "'");
      }
      extra.add(new Overrides.Setting("dockerfile.args." + a, "--build-arg " + a));
    }
    extra.addAll(flags.sets());
    flags = new Overrides(flags.to(), flags.tags(), flags.platforms(), flags.base(), flags.index(), extra);
    Overrides overrides = Overrides.fromEnv(env).over(flags);
    try {
      if (addon != null) {
        BuildPlan plan = AddonReader.read(addon, overrides, env);
        LocalSources.requireInside(plan, addon, allowOutside);
        return plan;
      }
      Path f = file == null ? Path.of("graft.yaml") : Files.isDirectory(file) ? file.resolve("graft.yaml") : file;
      if (file == null && !Files.exists(f)) {
        throw new UserError("no graft.yaml in the current directory; give one with --file FILE, or --addon DIR for a "
            + "Home Assistant add-on");
      }
      BuildPlan plan = GraftConfig.load(f, overrides, env);
      LocalSources.requireInside(plan, f.toAbsolutePath().getParent(), allowOutside);
      return plan;
    } catch (ConfigException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * A local reference given on the command line names a path relative to where graft runs, not to
   * graft.yaml's directory (which resolves the file's own relative paths): made absolute here.
   */
  static String fromWorkingDir(String ref) {
    for (String transport : List.of("oci:", "oci-archive:", "docker-archive:")) {
      if (ref.startsWith(transport) && ref.length() > transport.length() && ref.charAt(transport.length()) != '/') {
        return transport + Path.of("").toAbsolutePath().resolve(ref.substring(transport.length()));
      }
    }
    return ref;
  }
}
