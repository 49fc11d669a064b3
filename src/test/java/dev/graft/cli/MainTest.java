package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The command line is the same whether graft models every subcommand or only the one being run
 * ({@link Main#commandLine}, which keeps start-up short).
 */
class MainTest {
  @Test
  void topLevelHelpListsEverySubcommand() {
    CliRun r = CliRun.of("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: graft", "build", "copy", "inspect", "verify", "ls", "extract", "plan",
        "recipes", "schema", "version");
  }

  @Test
  void aSubcommandAloneHasItsFullUsageAndTheTopOptions() {
    CliRun build = CliRun.of("build", "--help");
    assertThat(build.exitCode()).isZero();
    assertThat(build.out()).startsWith("Usage: graft build").contains("--verify", "--cache-dir", "--set");
    assertThat(CliRun.of("--version").out()).contains("graft");
    assertThat(Main.commandLine("build").getSubcommands()).containsOnlyKeys("build");
    assertThat(Main.commandLine("--help").getSubcommands()).hasSizeGreaterThan(8);
  }

  @Test
  void aMistypedSubcommandStillGetsASuggestion() {
    CliRun r = CliRun.of("biuld");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("Did you mean", "graft build");
  }
}
