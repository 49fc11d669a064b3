package dev.graft.verify;

import dev.graft.verify.node.NpmPackage;
import dev.graft.verify.node.PlatformPairs;

/**
 * {@code NPM_PLATFORM_VERSION_MISMATCH}: a JS package and the platform package it pins, from two
 * different installs. Named by both packages and versions, with the remedy that makes them one install.
 */
final class VersionPairFinding {
  private VersionPairFinding() {}

  static Finding of(NpmPackage pkg, NpmPackage platformPkg, PlatformPairs.Mismatch m) {
    String wants = m.declared().matches("v?\\d+\\.\\d+\\.\\d+\\S*") ? "at " + m.declared() : "in " + m.declared();
    String effect = m.enforcedAtRunTime()
        ? "esbuild checks its binary at the first call and throws 'Host version \"" + m.pkgVersion()
            + "\" does not match binary version \"" + m.installed() + "\"'"
        : m.pkg() + "'s JS loads the native part of another release, whose functions differ from what it calls"
            + " (npm ls calls this pair invalid)";
    String pair = m.declared().matches("v?\\d+\\.\\d+\\.\\d+\\S*") ? m.platformPkg() + "@" + m.declared()
        : m.platformPkg() + " " + m.declared();
    return new Finding(Severity.ERROR, "NPM_PLATFORM_VERSION_MISMATCH", pkg.dir(),
        m.pkg() + "@" + m.pkgVersion() + " pins its platform package " + m.platformPkg() + " " + wants + ", but "
            + m.platformPkg() + "@" + m.installed() + " is installed (" + platformPkg.dir() + "): " + effect,
        "install both from one lockfile, so " + m.pkg() + "@" + m.pkgVersion() + " comes with " + pair
            + ": a from: npm layer with the package-lock.json, or npm ci in the builder with optional dependencies"
            + " on; node_modules merged or copied from two installs mix releases");
  }
}
