package dev.graft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns a failure into one line that says what went wrong (the exception messages are written
 * to name the image, file and fix), plus a hint; the stack trace only with {@code --stacktrace}
 * or GRAFT_STACKTRACE=1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    // messages may quote names from images: their control characters must not reach the terminal
    err.println("graft: error: " + dev.graft.oci.Printable.lines(ErrorLine.describe(ex)));
    if (wantsStackTrace(parsed)) {
      ex.printStackTrace(err);
    } else {
      // the command's full name: a subcommand's help is 'graft recipes show --help', not 'graft show --help'
      err.println("(run with --stacktrace for details, or see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    }
    err.flush();
    return ex instanceof UserError ue ? ue.exitCode() : 1;
  }

  private static boolean wantsStackTrace(CommandLine.ParseResult parsed) {
    if ("1".equals(System.getenv("GRAFT_STACKTRACE"))) {
      return true;
    }
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--stacktrace")) {
        return true;
      }
    }
    return false;
  }
}
