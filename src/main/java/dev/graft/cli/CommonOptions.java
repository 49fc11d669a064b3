package dev.graft.cli;

import picocli.CommandLine.Option;

/** Options every command takes (a picocli mixin). */
public final class CommonOptions {
  // Every error ends with "see 'graft CMD --help'", so every command that takes these options has --help.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--stacktrace", description = "On error, print the full stack trace.")
  boolean stacktrace;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
  boolean quiet;
}
