package dev.graft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: wires picocli and exits with the command's code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Prewarm.start(args);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, args);
    System.exit(code);
  }

  /**
   * The command line for {@code args}. picocli builds the model of every subcommand up front (a
   * tenth of a second or more of reflection on a small runner, on every run): when the first
   * argument names a subcommand, only that one is modelled, under a top command with the same name
   * and options; anything else (no arguments, {@code --help}, a typo) gets the full tree, so help
   * and suggestions are unchanged.
   */
  static CommandLine commandLine(String... args) {
    // help and completion describe the other commands: they need the whole tree
    if (args.length > 0 && !args[0].equals("help") && !args[0].equals("completion")) {
      for (Class<?> sub : GraftCommand.class.getAnnotation(picocli.CommandLine.Command.class).subcommands()) {
        picocli.CommandLine.Command c = sub.getAnnotation(picocli.CommandLine.Command.class);
        if (c != null && (c.name().equals(args[0]) || java.util.Arrays.asList(c.aliases()).contains(args[0]))) {
          CommandLine top = new CommandLine(new GraftCommand.Alone());
          top.addSubcommand(c.name(), new CommandLine(sub), c.aliases());
          return top;
        }
      }
    }
    return new CommandLine(new GraftCommand());
  }

  /** Runs graft with the given arguments; what tests call instead of main. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(args);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new ParameterErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
