package dev.graft.verify.node;

import dev.graft.oci.Require;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Packages that pair a JS package with a per-platform binary package (esbuild with
 * {@code @esbuild/<platform>}, rollup with {@code @rollup/rollup-<platform>}, {@code @swc/core} with
 * {@code @swc/core-<platform>}, lightningcss, sharp with {@code @img/sharp-<platform>} and that one
 * with {@code @img/sharp-libvips-<platform>}) release both together and pin the binary package's
 * version in {@code optionalDependencies}. npm installs exactly that version; another one means
 * node_modules were put together from two installs (copied, merged, installed with scripts off),
 * and {@code npm ls} calls it invalid. esbuild refuses it at its first call; the others load a
 * binding of another release. A pure function over package.json values, so the npm layer source
 * can apply the same rule to a lockfile before anything is installed.
 */
public final class PlatformPairs {
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.-]+))?(?:\\+.*)?");
  private static final Pattern COMPARATOR = Pattern.compile("(\\^|~|>=|<=|>|<|=)?\\s*(v?\\d+(?:\\.(?:\\d+|x|\\*))?"
      + "(?:\\.(?:\\d+|x|\\*))?(?:-[0-9A-Za-z.-]+)?)");

  private PlatformPairs() {}

  /**
   * A JS package and the platform package it pins, installed at another version.
   *
   * @param declared the range the JS package declares (for the known packages an exact version)
   */
  public record Mismatch(String pkg, String pkgVersion, String platformPkg, String declared, String installed) {
    public Mismatch {
      Require.nonNull("pkg, pkgVersion, platformPkg, declared, installed",
          pkg, pkgVersion, platformPkg, declared, installed);
    }

    /** Whether the JS side checks the version itself and throws (esbuild: "Host version ... does not match"). */
    public boolean enforcedAtRunTime() {
      return pkg.equals("esbuild");
    }
  }

  /**
   * The mismatch between a package ({@code name@version} with its {@code optionalDependencies}) and
   * the platform package Node resolves from it ({@code platformName@platformVersion}); empty when
   * the installed version satisfies what the package declares, when the package does not name that
   * platform package, or when the declared range is beyond the simple forms read here (exact,
   * {@code ^}, {@code ~}, comparisons, x-ranges, {@code ||}): no verdict without certainty.
   */
  public static Optional<Mismatch> check(String name, String version, Map<String, String> optionalDependencies,
      String platformName, String platformVersion) {
    String declared = optionalDependencies.get(platformName);
    if (declared == null || platformVersion == null || platformVersion.isEmpty()) {
      return Optional.empty();
    }
    return satisfies(platformVersion, declared)
        .filter(ok -> !ok)
        .map(ok -> new Mismatch(name, version, platformName, declared.trim(), platformVersion));
  }

  /** Whether {@code version} is in the npm range {@code spec}; empty when either cannot be read with certainty. */
  static Optional<Boolean> satisfies(String version, String spec) {
    Matcher v = VERSION.matcher(version.trim());
    if (!v.matches()) {
      return Optional.empty();
    }
    long[] have = {Long.parseLong(v.group(1)), Long.parseLong(v.group(2)), Long.parseLong(v.group(3))};
    boolean prerelease = v.group(4) != null;
    String s = spec.trim();
    if (s.isEmpty() || s.equals("*") || s.equals("latest")) {
      return Optional.of(!prerelease);
    }
    boolean any = false;
    for (String alternative : s.split("\\|\\|")) {
      Optional<Boolean> r = allOf(have, version.trim().replaceFirst("^v", ""), prerelease, alternative.trim());
      if (r.isEmpty()) {
        return Optional.empty();
      }
      any |= r.get();
    }
    return Optional.of(any);
  }

  private static Optional<Boolean> allOf(long[] have, String exact, boolean prerelease, String set) {
    if (set.isEmpty()) {
      return Optional.of(!prerelease);
    }
    String rest = set.replaceAll("(\\^|~|>=|<=|>|<|=)\\s+", "$1");
    boolean ok = true;
    for (String c : rest.split("\\s+")) {
      Matcher m = COMPARATOR.matcher(c);
      if (!m.matches()) {
        return Optional.empty(); // hyphen ranges, tags, URLs, git and file specs: no verdict
      }
      String op = m.group(1) == null ? "=" : m.group(1);
      String[] parts = m.group(2).replaceFirst("^v", "").split("-", 2)[0].split("\\.");
      String pre = m.group(2).contains("-") ? m.group(2).substring(m.group(2).indexOf('-') + 1) : null;
      int known = 0;
      long[] want = new long[3];
      for (int i = 0; i < parts.length; i++) {
        if (parts[i].equals("x") || parts[i].equals("*")) {
          break;
        }
        want[i] = Long.parseLong(parts[i]);
        known++;
      }
      if (prerelease || pre != null) {
        // npm lets a prerelease satisfy only a comparator naming that same version: compare exactly
        ok &= op.equals("=") && known == 3 && pre != null && exact.equals(m.group(2).replaceFirst("^v", ""));
        continue;
      }
      ok &= switch (op) {
        case "=" -> known == 3 ? compare(have, want) == 0 : prefix(have, want, known);
        case "^" -> compare(have, want) >= 0 && prefix(have, want, caretFixed(want, known));
        case "~" -> compare(have, want) >= 0 && prefix(have, want, Math.max(Math.min(known, 2), 1));
        case ">=" -> compare(have, want) >= 0;
        case ">" -> known == 3 ? compare(have, want) > 0 : !prefix(have, want, known) && compare(have, want) > 0;
        case "<" -> compare(have, want) < 0;
        case "<=" -> known == 3 ? compare(have, want) <= 0 : compare(have, want) < 0 || prefix(have, want, known);
        default -> false;
      };
    }
    return Optional.of(ok);
  }

  /** How many leading parts {@code ^} keeps fixed: up to and including the first non-zero one. */
  private static int caretFixed(long[] want, int known) {
    for (int i = 0; i < known; i++) {
      if (want[i] != 0) {
        return i + 1;
      }
    }
    return Math.max(known, 1);
  }

  private static boolean prefix(long[] have, long[] want, int parts) {
    for (int i = 0; i < parts; i++) {
      if (have[i] != want[i]) {
        return false;
      }
    }
    return true;
  }

  private static int compare(long[] a, long[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Long.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
