package dev.graft.reliability;

import dev.graft.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** graft's CLI run in-process, its output kept (CliRun's twin for this package). */
record Cli(int exitCode, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(code, out.toString(), err.toString());
  }

  String error() {
    return err.lines().filter(l -> l.startsWith("graft: error: ")).findFirst().orElse("");
  }
}
