package dev.graft.verify;

import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.Libc;
import dev.graft.verify.node.NodeGypBuild;
import dev.graft.verify.node.NodeModules;
import dev.graft.verify.node.NpmPackage;
import dev.graft.verify.node.NpmPlatform;
import dev.graft.verify.node.PlatformPairs;
import dev.graft.verify.node.Prebuilds;
import java.util.ArrayList;
import java.util.List;

/**
 * npm platform packages: installed packages whose {@code os}/{@code cpu}/{@code libc} exclude
 * this platform (node_modules installed on another machine), packages whose platform-specific
 * optional dependency for this platform is missing (esbuild, rollup, sharp, swc style), and
 * {@code prebuilds/} folders with nothing node-gyp-build would load here.
 */
public final class NpmChecks {
  private NpmChecks() {}

  /** @param target node-gyp-build's view of the platform, for {@code prebuilds/} folders */
  public static List<Finding> check(ImageContext ctx, List<NpmPackage> packages, NpmPlatform p, NodeGypBuild target) {
    List<Finding> out = new ArrayList<>();
    String fixInstall = "install node_modules for " + ctx.platform() + " (npm ci in a builder image of that platform,"
        + " or npm install --os=linux --cpu=" + p.cpu() + " --libc=" + p.libc().displayName() + ")";
    for (NpmPackage pkg : packages) {
      List<String> wrong = new ArrayList<>();
      if (!NpmPlatform.allows(pkg.os(), p.os())) {
        wrong.add("os " + pkg.os());
      }
      if (!NpmPlatform.allows(pkg.cpu(), p.cpu())) {
        wrong.add("cpu " + pkg.cpu());
      }
      if (!NpmPlatform.allows(pkg.libc(), p.libc().displayName())) {
        wrong.add("libc " + pkg.libc());
      }
      if (!wrong.isEmpty()) {
        out.add(new Finding(Severity.WARNING, "NPM_PLATFORM_MISMATCH", pkg.dir(),
            "package " + pkg.id() + " is for " + String.join(", ", wrong) + ", not this image's " + p
                + ": npm installs it only there, so node_modules were installed for another platform", fixInstall));
      }
      List<String> wanted = platformPackages(pkg, p);
      List<NpmPackage> installed = wanted.stream()
          .flatMap(w -> NodeModules.resolve(ctx.files(), pkg.dir(), w).stream()).toList();
      if (!wanted.isEmpty() && installed.isEmpty()) {
        out.add(new Finding(Severity.ERROR, "NPM_PLATFORM_PACKAGE_MISSING", pkg.dir(),
            "package " + pkg.id() + " needs its platform package " + String.join(" or ", wanted) + " on " + p
                + ", which is not installed (npm skipped it: node_modules were installed on another platform)",
            fixInstall));
      }
      for (NpmPackage platformPkg : installed) {
        PlatformPairs.check(pkg.name(), pkg.version(), pkg.optionalDependencies(), platformPkg.name(),
            platformPkg.version()).ifPresent(m -> out.add(VersionPairFinding.of(pkg, platformPkg, m)));
      }
      Prebuilds.of(ctx.files(), pkg, target).ifPresent(pb -> {
        if (pb.loaded().isEmpty()) {
          out.add(new Finding(Severity.ERROR, "PREBUILD_MISSING", pkg.dir(),
              "package " + pkg.id() + " ships prebuilds for " + String.join(", ", pb.available())
                  + ", but none that node-gyp-build would load on " + p + " with NODE_MODULE_VERSION "
                  + (target.abi().isEmpty() ? "?" : target.abi()) + ": require() fails with 'No native build was"
                  + " found' (node-gyp-build looks for " + target + "; libc " + target.libc() + " because "
                  + target.libcReason() + ")",
              "use a version of " + pkg.name() + " with a prebuild for this platform, or compile it in a builder image"
                  + " of this platform (npm rebuild --build-from-source)"));
        }
      });
    }
    return out;
  }

  /**
   * The optional dependencies named for this platform (linux, its cpu, its libc: esbuild's
   * {@code @esbuild/linux-x64}, rollup's {@code -gnu}/{@code -musl}); empty when the package names
   * no platform packages or none for this cpu.
   */
  static List<String> platformPackages(NpmPackage pkg, NpmPlatform p) {
    List<String> linuxCpu = new ArrayList<>();
    boolean anyPlatformNamed = false;
    for (String dep : pkg.optionalDependencies().keySet()) {
      String local = dep.substring(dep.indexOf('/') + 1).toLowerCase();
      List<String> tokens = List.of(local.split("-"));
      boolean linux = tokens.stream().anyMatch(t -> t.startsWith("linux"));
      boolean otherOs = tokens.stream().anyMatch(t -> NpmPlatform.OS_NAMES.contains(t) && !t.startsWith("linux"));
      anyPlatformNamed |= linux || otherOs;
      if (linux && tokens.contains(p.cpu())) {
        linuxCpu.add(dep);
      }
    }
    if (!anyPlatformNamed) {
      return List.of();
    }
    boolean hasMusl = linuxCpu.stream().anyMatch(d -> d.contains("musl"));
    return linuxCpu.stream()
        .filter(d -> p.libc() == Libc.MUSL ? (!hasMusl || d.contains("musl")) : !d.contains("musl"))
        .toList();
  }
}
