package dev.graft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code graft schema}: print the JSON Schema of graft.yaml, for editors. */
@Command(name = "schema",
    description = {"Print graft.yaml's JSON Schema (draft 2020-12), for editors.",
        "Save it, then start graft.yaml with a line naming it; editors with the YAML",
        "language server then complete and check keys as you type."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft schema > graft.schema.json",
        "  graft schema | jq '.properties | keys'          # graft.yaml's top-level keys",
        "  # then the first line of graft.yaml:",
        "  # yaml-language-server: $schema=graft.schema.json",
        "",
        "See docs/graft-yaml.md."})
public final class SchemaCommand implements Runnable {
  @CommandLine.Mixin
  HelpOption help;

  static final String RESOURCE = "graft/graft.schema.json";

  @Override
  public void run() {
    try (InputStream in = SchemaCommand.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("graft is missing " + RESOURCE + " (broken jar?)");
      }
      help.out().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
