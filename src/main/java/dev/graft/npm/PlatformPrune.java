package dev.graft.npm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code prune: platform}: which files of an installed package the target never loads. Only
 * native builds under a package's {@code prebuilds/} are judged, in the two layouts in use:
 * node-gyp-build/prebuildify folders ({@code prebuilds/<os>-<arch>[+<arch>…]/…}, files tagged
 * {@code .glibc.}/{@code .musl.}) and single files named for the platform
 * ({@code prebuilds/linux-x64.node}, {@code prebuilds/linuxmusl-arm64.node}, better-sqlite3's).
 * A build for another os or cpu goes; one for the other libc goes only when the libc that will
 * load it is known. Anything else is kept.
 */
public record PlatformPrune(String os, String cpu, Optional<Libc> libc) {
  private static final Pattern FOLDER = Pattern.compile("prebuilds/([a-z0-9]+)-([a-z0-9+_]+)/(.+)");
  private static final Pattern FILE = Pattern.compile("prebuilds/([a-z0-9]+)-([a-z0-9_]+)\\.node");

  public PlatformPrune {
    java.util.Objects.requireNonNull(os, "os");
    java.util.Objects.requireNonNull(cpu, "cpu");
    java.util.Objects.requireNonNull(libc, "libc");
  }

  public static PlatformPrune of(NpmTarget t, boolean libcKnown) {
    return new PlatformPrune(t.os(), t.cpu(), libcKnown ? Optional.of(t.libc()) : Optional.empty());
  }

  /** Why {@code pathInPackage} (relative to the package folder) is removed, or empty to keep it. */
  public Optional<String> reason(String pathInPackage) {
    Matcher m = FOLDER.matcher(pathInPackage);
    if (m.matches()) {
      String platform = m.group(1);
      java.util.List<String> archs = java.util.List.of(m.group(2).split("\\+"));
      if (!platform.equals(os) || !archs.contains(cpu)) {
        return Optional.of("prebuild for " + platform + "-" + m.group(2));
      }
      String file = m.group(3);
      if (libc.isPresent()) {
        Libc other = libc.get() == Libc.GLIBC ? Libc.MUSL : Libc.GLIBC;
        String name = file.substring(file.lastIndexOf('/') + 1);
        if (name.endsWith(".node") && java.util.List.of(name.split("\\.")).contains(other.npmName())) {
          return Optional.of("prebuild for " + other.npmName());
        }
      }
      return Optional.empty();
    }
    m = FILE.matcher(pathInPackage);
    if (m.matches()) {
      String platform = m.group(1);
      Libc fileLibc = null;
      if (platform.equals("linuxmusl")) {
        platform = "linux";
        fileLibc = Libc.MUSL;
      } else if (platform.equals("linux")) {
        fileLibc = Libc.GLIBC;
      }
      if (!platform.equals(os) || !m.group(2).equals(cpu)) {
        return Optional.of("prebuild for " + m.group(1) + "-" + m.group(2));
      }
      if (libc.isPresent() && fileLibc != null && fileLibc != libc.get()) {
        return Optional.of("prebuild for " + fileLibc.npmName());
      }
    }
    return Optional.empty();
  }

  /**
   * Why a file at {@code path} in any node_modules tree (an image path or a layer path) is
   * removed: the rule applied to the path inside its innermost package folder.
   */
  public Optional<String> reasonForTreePath(String path) {
    int i = path.lastIndexOf("/node_modules/");
    int start = i >= 0 ? i + "/node_modules/".length() : path.startsWith("node_modules/") ? "node_modules/".length() : -1;
    if (start < 0) {
      return Optional.empty();
    }
    String rest = path.substring(start);
    int slash = rest.indexOf('/');
    if (rest.startsWith("@") && slash > 0) {
      slash = rest.indexOf('/', slash + 1);
    }
    if (slash < 0) {
      return Optional.empty();
    }
    return reason(rest.substring(slash + 1));
  }
}
