package dev.graft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What {@code graft} alone does, for {@link GraftCommand} and its light twin {@link
 * GraftCommand.Alone}: it is a mistake, not a request for help, so usage goes to stderr with exit
 * code 2 (a usage error).
 */
abstract class TopLevelCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
