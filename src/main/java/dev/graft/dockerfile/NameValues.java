package dev.graft.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code ENV}, {@code LABEL} and {@code ARG}: words split at unquoted
 * whitespace with their quotes and escapes kept (the shell processing that removes them comes
 * later, with the variables in scope), and {@code name=value} pairs read from them. ENV and
 * LABEL also accept the old form {@code ENV NAME the rest of the line}.
 */
final class NameValues {
  private NameValues() {}

  /** One name and its raw value (null: a bare name, as ARG allows). */
  record Pair(String name, String value) {}

  static List<String> words(String text, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == escape && quote != '\'') {
          if (i + 1 == text.length()) {
            continue;
          }
          word.append(c);
          c = text.charAt(++i);
        }
        word.append(c);
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (inWord && (blankOk || word.length() > 0)) {
          words.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
        blankOk = false;
        continue;
      }
      inWord = true;
      if (c == '\'' || c == '"') {
        quote = c;
        blankOk = true;
      } else if (c == escape) {
        if (i + 1 == text.length()) {
          continue;
        }
        word.append(c);
        c = text.charAt(++i);
      }
      word.append(c);
    }
    if (inWord && (blankOk || word.length() > 0)) {
      words.add(word.toString());
    }
    return words;
  }

  /** ENV and LABEL: {@code a=1 b="two words"}, or the old {@code NAME value…}. */
  static List<Pair> pairs(String text, char escape, String keyword) {
    List<String> words = words(text, escape);
    if (words.isEmpty()) {
      throw new IllegalArgumentException(keyword + " needs at least one name=value");
    }
    if (!words.get(0).contains("=")) {
      String[] parts = text.strip().split("[\\t\\u000B\\f\\r ]+", 2);
      if (parts.length < 2) {
        throw new IllegalArgumentException(keyword + " " + parts[0] + " has no value: write " + keyword + " "
            + parts[0] + "=VALUE");
      }
      return List.of(new Pair(parts[0], parts[1]));
    }
    List<Pair> out = new ArrayList<>();
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("can't find = in \"" + w + "\"; " + keyword + " takes name=value pairs");
      }
      out.add(new Pair(w.substring(0, eq), w.substring(eq + 1)));
    }
    return out;
  }

  /** ARG: {@code NAME} or {@code NAME=default}, one or more. */
  static List<Pair> args(String text, char escape) {
    List<Pair> out = new ArrayList<>();
    for (String w : words(text, escape)) {
      int eq = w.indexOf('=');
      out.add(eq < 0 ? new Pair(w, null) : new Pair(w.substring(0, eq), w.substring(eq + 1)));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("ARG needs a name (ARG NAME or ARG NAME=default)");
    }
    return out;
  }
}
