package dev.graft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs graft in-process through {@link Main#run} and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The first line of stderr: the one-line error. */
  String error() {
    return err.lines().filter(l -> l.startsWith("graft: error: ")).findFirst().orElse("");
  }
}
