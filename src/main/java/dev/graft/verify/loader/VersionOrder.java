package dev.graft.verify.loader;

/** Orders version names like {@code GLIBC_2.9 < GLIBC_2.34} (numeric parts compared as numbers). */
final class VersionOrder {
  private VersionOrder() {}

  /** {@code GLIBCXX} for {@code GLIBCXX_3.4.30}: the part before the first digit-led component. */
  static String family(String v) {
    int u = v.lastIndexOf('_');
    return u > 0 ? v.substring(0, u) : v;
  }

  static int compare(String a, String b) {
    int f = family(a).compareTo(family(b));
    if (f != 0) {
      return f;
    }
    String[] pa = a.substring(family(a).length()).replace("_", "").split("\\.");
    String[] pb = b.substring(family(b).length()).replace("_", "").split("\\.");
    for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
      long x = i < pa.length ? num(pa[i]) : 0;
      long y = i < pb.length ? num(pb[i]) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return a.compareTo(b);
  }

  private static long num(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
