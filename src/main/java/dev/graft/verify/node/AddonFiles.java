package dev.graft.verify.node;

import dev.graft.elf.DynamicSymbols;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.loader.ElfCache;

/**
 * Which {@code *.node} files Node could ever load as addons. node-gyp leaves copies under
 * {@code build/Release/obj.target/} that neither {@code bindings}' search list nor node-gyp-build
 * looks in, and a package may build other shared objects named {@code .node} that are no addon
 * (better-sqlite3's {@code test_extension.node}, a SQLite extension): judging those would report
 * every finding twice, or about a file nothing loads.
 */
public final class AddonFiles {
  private AddonFiles() {}

  /** Whether the ELF file at this resolved path is an addon Node could load from where it is. */
  public static boolean nodeCouldLoad(ElfCache elfs, String path) {
    if (ImagePaths.components(path).contains("obj.target")) {
      return false;
    }
    try {
      return hasEntryPoint(elfs.symbols(path));
    } catch (ElfFormatException e) {
      return true; // judged, and reported, as it is
    }
  }

  /**
   * Whether a package's own loader takes this flat {@code prebuilds/<os>[musl]-<arch>.node} (no
   * folder per platform, so not node-gyp-build's layout): better-sqlite3 13's {@code lib/binding.js}
   * takes {@code build/Debug}, then {@code build/Release}, and only without those the prebuild
   * named for the platform, {@code linuxmusl-} when node's process is musl.
   */
  public static boolean flatPrebuildLoaded(ImageFiles files, String pkgDir, NpmPlatform p, String addon) {
    for (String build : java.util.List.of("build/Debug", "build/Release")) {
      if (files.list(ImagePaths.join(pkgDir, build)).stream().anyMatch(f -> f.endsWith(".node"))) {
        return false;
      }
    }
    String name = (p.libc() == dev.graft.verify.loader.Libc.MUSL ? "linuxmusl-" : "linux-") + p.cpu() + ".node";
    return addon.equals(ImagePaths.join(pkgDir, "prebuilds/" + name));
  }

  /**
   * A Node-API or V8 addon's entry point: {@code napi_register_module_v1} or {@code
   * node_register_module_v<ABI>} defined (NAPI_MODULE_INIT, NODE_MODULE_INIT, napi-rs, neon), or a
   * static constructor's call to {@code napi_module_register}/{@code node_module_register} (the
   * older NAPI_MODULE and NODE_MODULE macros).
   */
  static boolean hasEntryPoint(DynamicSymbols s) {
    if (s.defined().contains("napi_register_module_v1") || s.undefinedStrong().contains("napi_module_register")
        || s.undefinedStrong().contains("node_module_register")) {
      return true;
    }
    return s.defined().stream().anyMatch(n -> n.startsWith("node_register_module_v"));
  }
}
