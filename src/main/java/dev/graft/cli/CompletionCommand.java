package dev.graft.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code graft completion bash|zsh|fish}: a shell completion script for every command and option. */
@Command(name = "completion",
    description = {"Print a shell completion script (bash, zsh or fish).",
        "Commands, subcommands and options complete, and so do option values",
        "with fixed choices; files complete where a path is expected."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  source <(graft completion bash)                  # in ~/.bashrc",
        "  graft completion zsh > \"${fpath[1]}/_graft\"       # then restart zsh",
        "  graft completion fish > ~/.config/fish/completions/graft.fish",
        "",
        "The release bundle holds the same scripts under completion/.",
        "See docs/install.md."})
public final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Mixin
  HelpOption help;

  @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
  String shell;

  @Override
  public Integer call() {
    PrintWriter out = help.out();
    out.print(script(shell));
    out.flush();
    return 0;
  }

  /** The script for {@code shell}, made from the full command tree (so it is never out of date). */
  static String script(String shell) {
    CommandLine full = new CommandLine(new GraftCommand());
    return switch (shell) {
      // picocli's script is written for bash and loads under zsh through bashcompinit, which it sets up itself
      case "bash", "zsh" -> AutoComplete.bash("graft", full);
      case "fish" -> FishCompletion.script(full);
      default -> throw new UserError("unknown shell '" + shell + "'; graft completes bash, zsh and fish");
    };
  }
}
