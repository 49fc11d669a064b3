package dev.graft.cli;

import dev.graft.config.AddonReader;
import dev.graft.config.BuildPlan;
import dev.graft.config.ConfigException;
import dev.graft.config.GraftConfig;
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
      description = "A Home Assistant add-on directory: reads its config.yaml, build.yaml and graft.yaml.")
  Path addon;

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

  /** The validated plan; configuration problems become a user error listing them all. */
  public BuildPlan plan(Map<String, String> env) {
    if (file != null && addon != null) {
      throw new UserError("give either --file or --addon, not both (an add-on's graft.yaml is read from its directory)");
    }
    Overrides overrides = Overrides.fromEnv(env)
        .over(Overrides.fromFlags(to.stream().map(ConfigOptions::fromWorkingDir).toList(), tags, platform.texts(),
            base == null ? null : fromWorkingDir(base), index == null ? null : fromWorkingDir(index), sets));
    try {
      if (addon != null) {
        return AddonReader.read(addon, overrides, env);
      }
      Path f = file == null ? Path.of("graft.yaml") : Files.isDirectory(file) ? file.resolve("graft.yaml") : file;
      if (file == null && !Files.exists(f)) {
        throw new UserError("no graft.yaml in the current directory; give one with --file FILE, or --addon DIR for a "
            + "Home Assistant add-on");
      }
      return GraftConfig.load(f, overrides, env);
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
