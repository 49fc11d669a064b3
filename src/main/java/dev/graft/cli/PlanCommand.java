package dev.graft.cli;

import dev.graft.config.BuildPlan;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code graft plan}: check the configuration and print what a build would do. Images are not
 * touched; only tarballs of npm packages with install scripts are fetched, to judge them.
 */
@Command(name = "plan",
    description = {"Check graft.yaml or an add-on and print its plan.",
        "Images are not pulled or pushed: use it to see what flags, {arch} and recipes",
        "resolve to. For a from: npm layer it lists, per platform, the packages npm ci",
        "would install, the platform packages chosen and left out (and why) and the",
        "install-script verdicts; to judge those it fetches the tarballs of packages",
        "with install scripts into the cache (nothing else)."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft plan",
        "  graft plan --addon ./my-addon --platform aarch64",
        "  graft plan -f app/graft.yaml --set base=alpine:3.20 --json",
        "",
        "See docs/graft-yaml.md."})
public final class PlanCommand implements Runnable {
  @Mixin
  CommonOptions common;

  @Mixin
  ConfigOptions config;

  @picocli.CommandLine.Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where npm tarballs are cached (default: ~/.cache/graft, as graft build).")
  java.nio.file.Path cacheDir;

  /** The environment, read here at the edge; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public void run() {
    BuildPlan plan = config.plan(env);
    NpmPlans npm = NpmPlans.of(plan, cacheDir != null ? cacheDir : dev.graft.layer.LayerCache.defaultDir(), env);
    PrintWriter out = common.out();
    if (common.json) {
      out.println(new String(dev.graft.oci.Json.write(PlanRenderer.json(plan, npm)), StandardCharsets.UTF_8));
    } else if (!common.quiet) {
      PlanRenderer.text(plan, npm).forEach(out::println);
    }
  }
}
