package dev.graft.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Dockerfile instructions graft.yaml takes over ({@code dockerfile.ignore}): a keyword alone
 * ({@code RUN}: every RUN), or a keyword and a pattern for the rest of the instruction, whitespace
 * runs counting as one space, {@code *} any text and {@code ?} one character
 * ({@code RUN apk add *}). An ignored instruction is skipped, with a note.
 */
public final class IgnoreRules {
  public static final IgnoreRules NONE = new IgnoreRules(List.of());

  private record Rule(String text, String keyword, Pattern rest) {}

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The rules; a pattern that does not start with a Dockerfile keyword is an error naming it. */
  public static IgnoreRules of(List<String> patterns) {
    List<Rule> out = new ArrayList<>();
    for (String p : patterns) {
      String t = p.strip();
      int sp = t.indexOf(' ');
      String keyword = (sp < 0 ? t : t.substring(0, sp)).toUpperCase(Locale.ROOT);
      if (!Dockerfile.KEYWORDS.contains(keyword) || keyword.equals("FROM")) {
        throw new IllegalArgumentException("'" + p + "' does not start with an instruction graft can skip (e.g. "
            + "'RUN', or 'RUN apk add *')");
      }
      Pattern rest = sp < 0 ? null : glob(normalise(t.substring(sp + 1)));
      out.add(new Rule(p, keyword, rest));
    }
    return new IgnoreRules(out);
  }

  /** The pattern (as written) that takes over this instruction, if one does. */
  public Optional<String> match(Instruction i) {
    String rest = normalise(i.json().map(j -> String.join(" ", j)).orElse(i.args()));
    String flagged = normalise(i.text().substring(i.keyword().length()));
    for (Rule r : rules) {
      if (r.keyword.equals(i.keyword()) && (r.rest == null || r.rest.matcher(rest).matches()
          || r.rest.matcher(flagged).matches())) {
        return Optional.of(r.text);
      }
    }
    return Optional.empty();
  }

  /** The patterns as written. */
  public List<String> patterns() {
    return rules.stream().map(Rule::text).toList();
  }

  private static String normalise(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  private static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
