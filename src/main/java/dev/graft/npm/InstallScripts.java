package dev.graft.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Judges the install scripts (preinstall, install, postinstall; npm's implied
 * {@code node-gyp rebuild} for a {@code binding.gyp} without them) of the packages a target
 * gets. Pure: it reads only the package's own files.
 */
public final class InstallScripts {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private InstallScripts() {}

  /**
   * The verdict for one installed package, or empty when it has no install script. With
   * {@code allow}, what would be an error is a warning.
   */
  public static Optional<ScriptVerdict> judge(LockedPackage p, UnpackedTarball files, NpmTarget target, boolean allow)
      throws IOException {
    String script = script(p, files);
    if (script == null) {
      return Optional.empty();
    }
    ScriptVerdict v = verdict(p, script, files.files().stream().map(PackageFile::path).toList(), target);
    if (allow && v.kind() == ScriptVerdict.Kind.ERROR) {
      v = new ScriptVerdict(p, ScriptVerdict.Kind.WARNING, script, v.message()
          + " — accepted with scripts: allow; graft verify judges what the image really loads");
    }
    return Optional.of(v);
  }

  /** The install-time script text ("install: node-gyp-build"), or null when npm would run none. */
  static String script(LockedPackage p, UnpackedTarball files) throws IOException {
    JsonNode scripts = MAPPER.createObjectNode();
    boolean gypfileOff = false;
    if (files.file("package.json").isPresent()) {
      JsonNode pj;
      try {
        pj = MAPPER.readTree(files.read("package.json"));
      } catch (IOException e) {
        throw new NpmException(p.id() + ": its package.json is not valid JSON: " + e.getMessage());
      }
      scripts = pj.path("scripts");
      gypfileOff = pj.path("gypfile").isBoolean() && !pj.path("gypfile").asBoolean();
    }
    StringBuilder sb = new StringBuilder();
    for (String phase : List.of("preinstall", "install", "postinstall")) {
      if (scripts.path(phase).isTextual() && !scripts.path(phase).asText().isBlank()) {
        sb.append(sb.isEmpty() ? "" : "; ").append(phase).append(": ").append(scripts.path(phase).asText());
      }
    }
    boolean hasOwn = scripts.path("install").isTextual() || scripts.path("preinstall").isTextual();
    if (!hasOwn && !gypfileOff && files.file("binding.gyp").isPresent()) {
      sb.append(sb.isEmpty() ? "" : "; ").append("install: node-gyp rebuild (implied by binding.gyp)");
    }
    if (sb.isEmpty()) {
      return p.hasInstallScript() ? "(the lockfile says it has an install script, its package.json has none)" : null;
    }
    return sb.toString();
  }

  static ScriptVerdict verdict(LockedPackage p, String script, List<String> paths, NpmTarget target) {
    String ways = "take " + p.name() + " from a builder image layer (from: builder, where it was compiled), "
        + "serve its binaries from a prebuild mirror, or accept the risk with scripts: allow";
    boolean prebuildForTarget = paths.stream().anyMatch(f -> isPrebuildFor(f, target));
    if (script.contains("node-gyp-build") || script.contains("prebuildify")) {
      return prebuildForTarget
          ? new ScriptVerdict(p, ScriptVerdict.Kind.FINE, script, "node-gyp-build finds a prebuild for " + target
              + " in prebuilds/; nothing to compile")
          : new ScriptVerdict(p, ScriptVerdict.Kind.ERROR, script, p.id() + " has no prebuild for " + target
              + " in prebuilds/, so its install script would compile it with node-gyp; " + ways);
    }
    if (script.contains("prebuild-install") || script.contains("node-pre-gyp")) {
      String tool = script.contains("prebuild-install") ? "prebuild-install" : "node-pre-gyp";
      if (hasBuiltAddon(paths)) {
        return new ScriptVerdict(p, ScriptVerdict.Kind.FINE, script, p.id() + " ships its compiled addon");
      }
      return new ScriptVerdict(p, ScriptVerdict.Kind.ERROR, script, p.id() + " needs its install script: " + tool
          + " downloads a binary at install time (else node-gyp compiles it), and the package ships none; " + ways);
    }
    if (script.contains("node-gyp") || script.contains("cmake-js")) {
      if (prebuildForTarget || hasBuiltAddon(paths)) {
        return new ScriptVerdict(p, ScriptVerdict.Kind.FINE, script, p.id() + " ships a build for " + target);
      }
      return new ScriptVerdict(p, ScriptVerdict.Kind.ERROR, script, p.id() + " is compiled by its install script ("
          + script + ") and ships no binary for " + target + "; " + ways);
    }
    if (p.name().equals("esbuild") && script.contains("install.js")) {
      return new ScriptVerdict(p, ScriptVerdict.Kind.FINE, script, "esbuild's install.js only replaces the "
          + "bin/esbuild launcher with the @esbuild platform binary to save one process start; the launcher graft "
          + "keeps (as npm ci --ignore-scripts does) runs that binary, and the JS API uses it directly");
    }
    return new ScriptVerdict(p, ScriptVerdict.Kind.WARNING, script, p.id() + " has an install script graft does "
        + "not run (" + script + "); the package is laid out as npm ci --ignore-scripts would");
  }

  /** A native build for the target in one of the prebuilds layouts {@link PlatformPrune} knows. */
  static boolean isPrebuildFor(String path, NpmTarget target) {
    if (!path.startsWith("prebuilds/") || !path.endsWith(".node")) {
      return false;
    }
    return PlatformPrune.of(target, true).reason(path).isEmpty();
  }

  private static boolean hasBuiltAddon(List<String> paths) {
    return paths.stream().anyMatch(f -> f.endsWith(".node") && (f.startsWith("build/") || f.startsWith("lib/binding/")
        || f.startsWith("binding/")));
  }
}
