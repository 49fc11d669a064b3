package dev.graft.cli;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The terminal's width in columns, for the live display to never wrap a line (which would break redrawing). */
final class TerminalWidth {
  static final int DEFAULT = 80;

  private TerminalWidth() {}

  /** COLUMNS when set, else what {@code stty size} says of /dev/tty, else 80. */
  static int of(Map<String, String> env) {
    try {
      int c = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
      if (c > 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // not set: ask the terminal
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
        int c = Integer.parseInt(out.strip().split("\\s+")[1]);
        return c > 0 ? c : DEFAULT;
      }
    } catch (Exception e) {
      // no tty or no stty: the usual width
    }
    return DEFAULT;
  }
}
