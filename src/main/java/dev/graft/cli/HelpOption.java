package dev.graft.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code -h, --help} and where the command's output goes (a picocli mixin of every command, most
 * through {@link CommonOptions}).
 */
public final class HelpOption {
  /** The command this option is part of: its stdout and stderr (tests replace them). */
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  // Every error ends with "see 'graft CMD --help'", so every command has --help.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  /** Where the command's result goes. */
  PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  /** Where the command's progress, notes and errors go. */
  PrintWriter err() {
    return mixee.commandLine().getErr();
  }
}
