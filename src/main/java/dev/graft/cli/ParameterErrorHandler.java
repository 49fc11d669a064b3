package dev.graft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A command line picocli cannot parse (unknown option, extra argument, missing value): one line
 * that says what is wrong, picocli's "did you mean" suggestions when it has some, and where the
 * help is — not the whole usage block, which buries the one line that matters. Exit code 2.
 */
final class ParameterErrorHandler implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("graft: error: " + ex.getMessage());
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
    }
    err.println("(see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }
}
