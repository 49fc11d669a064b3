package dev.graft.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A fish completion script made from picocli's model (picocli writes bash scripts only): one
 * {@code complete} line per subcommand and per option, each limited to where it applies with
 * fish's own {@code __fish_seen_subcommand_from}.
 */
final class FishCompletion {
  private FishCompletion() {}

  static String script(CommandLine top) {
    StringBuilder sb = new StringBuilder("# fish completion for graft (graft completion fish)\n");
    sb.append("complete -c graft -f\n");
    List<String> names = new ArrayList<>(top.getSubcommands().keySet());
    String none = "not __fish_seen_subcommand_from " + String.join(" ", names);
    for (var e : top.getSubcommands().entrySet()) {
      sb.append("complete -c graft -n '").append(none).append("' -a ").append(e.getKey())
          .append(" -d ").append(quote(summary(e.getValue().getCommandSpec()))).append('\n');
    }
    options(sb, top.getCommandSpec(), none);
    for (var e : top.getSubcommands().entrySet()) {
      CommandSpec spec = e.getValue().getCommandSpec();
      String here = "__fish_seen_subcommand_from " + e.getKey();
      for (var sub : e.getValue().getSubcommands().entrySet()) {
        sb.append("complete -c graft -n '").append(here).append("' -a ").append(sub.getKey()).append(" -d ")
            .append(quote(summary(sub.getValue().getCommandSpec()))).append('\n');
      }
      options(sb, spec, here);
      if (e.getKey().equals("help")) {
        sb.append("complete -c graft -n '").append(here).append("' -a '").append(String.join(" ", names))
            .append("'\n");
      } else if (!spec.positionalParameters().isEmpty()) {
        sb.append("complete -c graft -n '").append(here).append("' -F\n"); // REF, PATH, FILE: files help most
      }
    }
    return sb.toString();
  }

  private static void options(StringBuilder sb, CommandSpec spec, String condition) {
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      sb.append("complete -c graft -n '").append(condition).append('\'');
      for (String n : o.names()) {
        sb.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
      }
      if (o.arity().max() > 0) {
        sb.append(" -r");
        Iterable<String> choices = o.completionCandidates();
        if (choices != null) {
          List<String> list = new ArrayList<>();
          choices.forEach(list::add);
          sb.append(" -a ").append(quote(String.join(" ", list)));
        } else if (o.type() == java.nio.file.Path.class) {
          sb.append(" -F");
        }
      }
      String[] d = o.description();
      if (d.length > 0) {
        sb.append(" -d ").append(quote(firstSentence(d[0])));
      }
      sb.append('\n');
    }
  }

  private static String summary(CommandSpec spec) {
    for (String line : spec.usageMessage().description()) {
      String t = line.replace("%n", "").strip();
      if (!t.isEmpty()) {
        return firstSentence(t);
      }
    }
    return "";
  }

  /** Up to the first full stop that ends a sentence ("e.g. linux/arm64" does not). */
  private static String firstSentence(String s) {
    java.util.regex.Matcher m = SENTENCE_END.matcher(s);
    String t = m.find() ? s.substring(0, m.start()) : s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    return t.replace("${DEFAULT-VALUE}", "");
  }

  private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile("\\.\\s+(?=[A-Z(])");

  /** A single-quoted fish string. */
  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
