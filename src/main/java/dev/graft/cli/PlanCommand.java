package dev.graft.cli;

import dev.graft.config.BuildPlan;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code graft plan}: check the configuration and print what a build would do, without touching the network. */
@Command(name = "plan",
    description = {"Check graft.yaml (or an add-on) and print the plan per platform.",
        "Nothing is pulled or pushed: use it to see what flags, {arch} and",
        "recipes resolve to."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft plan",
        "  graft plan --addon ./my-addon --platform aarch64",
        "  graft plan -f app/graft.yaml --set base=alpine:3.20 --json",
        "",
        "See docs/graft-yaml.md."})
public final class PlanCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CommonOptions common;

  @Mixin
  ConfigOptions config;

  /** The environment, read here at the edge; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public void run() {
    BuildPlan plan = config.plan(env);
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(new String(dev.graft.oci.Json.write(PlanRenderer.json(plan)), StandardCharsets.UTF_8));
    } else if (!common.quiet) {
      PlanRenderer.text(plan).forEach(out::println);
    }
  }
}
