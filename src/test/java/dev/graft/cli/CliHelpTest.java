package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI teaches: every command's help has real examples (each one parses) and a pointer to a
 * docs page that exists, lines are wrapped where we wrote them, mistakes get one line and a hint,
 * and shells complete commands and options.
 */
class CliHelpTest {
  private static final Pattern SEE_DOCS = Pattern.compile("(docs/[a-z0-9-]+\\.md|README\\.md)(#[a-z0-9-]+)?");

  /** Every command and subcommand by its qualified name ("graft recipes show"), with its command line. */
  static Map<String, CommandLine> everyCommand() {
    Map<String, CommandLine> all = new LinkedHashMap<>();
    collect(new CommandLine(new GraftCommand()), all);
    return all;
  }

  private static void collect(CommandLine cl, Map<String, CommandLine> all) {
    all.put(cl.getCommandSpec().qualifiedName(), cl);
    cl.getSubcommands().values().forEach(sub -> collect(sub, all));
  }

  private static List<String> words(String qualified) {
    List<String> w = new ArrayList<>(List.of(qualified.split(" ")));
    w.remove(0);
    return w;
  }

  @Test
  void everyCommandHasHelpWithTwoToFourExamplesAndADocsPageThatExists() throws IOException {
    for (String name : everyCommand().keySet()) {
      if (name.equals("graft help")) {
        continue; // picocli's own
      }
      List<String> args = new ArrayList<>(words(name));
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(name + " --help: " + run.err()).isZero();
      String help = run.out();
      assertThat(help).as(name).startsWith("Usage: " + name);
      List<String> examples = examples(help);
      assertThat(examples).as(name + " examples").hasSizeBetween(2, 4);
      Matcher m = SEE_DOCS.matcher(help.substring(help.lastIndexOf("See ")));
      assertThat(m.find()).as(name + " has a 'See docs/…' line").isTrue();
      do {
        Path page = TestData.projectRoot().resolve(m.group(1));
        assertThat(page).as(name + " points at " + m.group()).isRegularFile();
        if (m.group(2) != null) {
          assertThat(anchors(page)).as(name + " points at " + m.group()).contains(m.group(2).substring(1));
        }
      } while (m.find());
    }
  }

  @Test
  void everyExampleInTheHelpIsACommandLineGraftAccepts() {
    int checked = 0;
    for (String name : everyCommand().keySet()) {
      if (name.equals("graft help")) {
        continue;
      }
      List<String> args = new ArrayList<>(words(name));
      args.add("--help");
      for (String example : examples(CliRun.of(args.toArray(String[]::new)).out())) {
        List<String> argv = argv(example);
        CommandLine fresh = new CommandLine(new GraftCommand());
        fresh.setCaseInsensitiveEnumValuesAllowed(true);
        try {
          fresh.parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
          throw new AssertionError(name + " example '" + example + "' does not parse: " + e.getMessage(), e);
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(25);
  }

  @Test
  void helpIsWrappedWhereWeWroteItNeverMidPhrase() {
    for (var e : everyCommand().entrySet()) {
      String help = e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF);
      for (String line : help.split("\n")) {
        assertThat(line.length()).as(e.getKey() + ": " + line).isLessThanOrEqualTo(80);
      }
      if (e.getKey().equals("graft help")) {
        continue;
      }
      // each line we wrote is printed whole: picocli did not re-wrap it
      for (String written : e.getValue().getCommandSpec().usageMessage().description()) {
        assertThat(help).as(e.getKey()).contains(written.replace("%n", ""));
      }
      for (String written : e.getValue().getCommandSpec().usageMessage().footer()) {
        assertThat(help).as(e.getKey()).contains(written);
      }
    }
    // the list of commands shows each summary on one line
    String top = CliRun.of("--help").out();
    for (String line : top.substring(top.indexOf("Commands:"), top.indexOf("Examples:")).split("\n")) {
      assertThat(line).as("a command's summary fits its line").doesNotStartWith("                ");
    }
  }

  @Test
  void helpCommandShowsACommandsHelp() {
    CliRun help = CliRun.of("help", "build");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).isEqualTo(CliRun.of("build", "--help").out());
    assertThat(CliRun.of("help", "recipes").out()).startsWith("Usage: graft recipes");
    assertThat(CliRun.of("schema", "--help").exitCode()).isZero();
    assertThat(CliRun.of("version", "--help").out()).startsWith("Usage: graft version");
  }

  @Test
  void noArgumentsIsAUsageErrorOnStderr() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("Usage: graft").contains("Commands:", "Examples:");
  }

  @Test
  void anUnmatchedArgumentIsOneLineAndTheHintNotTheWholeUsage() {
    CliRun run = CliRun.of("ls", "oci:x", "/a", "/b");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList()).containsExactly("graft: error: Unmatched argument at index 3: '/b'",
        "(see 'graft ls --help')");
    CliRun option = CliRun.of("build", "--verfy=warn");
    assertThat(option.err().lines().toList()).containsExactly("graft: error: Unknown option: '--verfy=warn'",
        "Possible solutions: --verify", "(see 'graft build --help')");
    CliRun typo = CliRun.of("inspct");
    assertThat(typo.err()).contains("Did you mean: graft inspect").doesNotContain("Usage:");
  }

  @Test
  void bashZshAndFishCompleteCommandsAndOptions(@TempDir Path tmp) throws IOException {
    Path bash = tmp.resolve("graft.bash");
    Files.writeString(bash, CliRun.of("completion", "bash").out());
    Tools.Result b = Tools.runOk(Duration.ofMinutes(1), "bash", "-c", "source " + bash
        + "; COMP_WORDS=(graft bu); COMP_CWORD=1; _complete_graft graft bu graft; echo \"${COMPREPLY[@]}\";"
        + " COMP_WORDS=(graft build --ver); COMP_CWORD=2; _complete_graft graft --ver build; echo \"${COMPREPLY[@]}\"");
    assertThat(b.stdout().lines().toList()).containsExactly("build", "--verify");

    Path zsh = tmp.resolve("graft.zsh");
    Files.writeString(zsh, CliRun.of("completion", "zsh").out());
    Tools.Result z = Tools.runOk(Duration.ofMinutes(1), Tools.require("zsh").toString(), "-f", "-c",
        "autoload -U +X compinit && compinit -u -d " + tmp.resolve("zcompdump") + "; source " + zsh
            + "; complete -p graft");
    assertThat(z.stdout()).contains("_complete_graft");

    Path fish = tmp.resolve("graft.fish");
    Files.writeString(fish, CliRun.of("completion", "fish").out());
    Tools.Result f = Tools.runOk(Duration.ofMinutes(1), Tools.require("fish").toString(), "--no-config", "-c",
        "source " + fish + "; complete -C 'graft bu'; complete -C 'graft build --ver'; complete -C 'graft recipes '");
    assertThat(f.stdout().lines().map(l -> l.split("\t")[0])).containsExactly("build", "--verify", "show");

    CliRun bad = CliRun.of("completion", "tcsh");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.error()).contains("unknown shell 'tcsh'; graft completes bash, zsh and fish");
  }

  /** The example lines of a help text: the indented lines under "Examples:" that run graft. */
  static List<String> examples(String help) {
    int at = help.indexOf("Examples:\n");
    if (at < 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : help.substring(at).split("\n")) {
      String t = line.strip();
      if (line.startsWith("  ") && (t.startsWith("graft ") || t.contains("<(graft "))) {
        out.add(t);
      }
    }
    return out;
  }

  /** The arguments after "graft" of an example, as a shell would split them (quotes, comments, pipes). */
  static List<String> argv(String example) {
    String s = example.contains("<(graft ") ? example.substring(example.indexOf("<(graft ") + 2,
        example.indexOf(')', example.indexOf("<(graft "))) : example;
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : s.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if (c == '#' || c == '|' || c == '>') {
        break;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    assertThat(words.get(0)).isEqualTo("graft");
    return words.subList(1, words.size());
  }

  /** GitHub's anchors for a markdown file's headings. */
  static List<String> anchors(Path md) throws IOException {
    return Files.readAllLines(md).stream().filter(l -> l.startsWith("#"))
        .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'))
        .toList();
  }
}
