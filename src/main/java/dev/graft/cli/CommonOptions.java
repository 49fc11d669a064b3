package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command takes, and where the command's output goes (a picocli mixin). */
public final class CommonOptions {
  @Mixin
  HelpOption help;

  @Option(names = "--stacktrace", description = "On error, print the full stack trace.")
  boolean stacktrace;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
  boolean quiet;

  /** Where the command's result goes. */
  PrintWriter out() {
    return help.out();
  }

  /** Where the command's progress, notes and errors go. */
  PrintWriter err() {
    return help.err();
  }

  /** A {@code --json} result on stdout, escaped for a terminal as every image-derived string is. */
  void printJson(JsonNode result) {
    PrintWriter out = out();
    out.println(new String(Json.writeForDisplay(result), StandardCharsets.UTF_8));
    out.flush();
  }
}
