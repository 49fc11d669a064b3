package dev.graft.cli;

import dev.graft.oci.ImageRef;

/** Turns command-line strings into values, reporting bad ones as user errors (exit code 2). */
final class Args {
  private Args() {}

  static ImageRef imageRef(String text) {
    try {
      return ImageRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }


  /** Sizes for people: 1536 → "1.5 KB". */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
