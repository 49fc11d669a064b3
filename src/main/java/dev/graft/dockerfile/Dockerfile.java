package dev.graft.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way BuildKit's parser reads it: a UTF-8 byte-order mark is dropped; parser
 * directives ({@code # syntax=…}, {@code # escape=…}, {@code # check=…}) are read only before
 * anything else; lines whose first non-blank character is {@code #} are comments, also inside a
 * continuation; the escape character ({@code \}, or {@code `} after {@code # escape=`}) as the last
 * non-blank character continues the instruction on the next line, blank continuation lines are
 * skipped (with a warning, as BuildKit gives); leading {@code --flags} are split off; the exec
 * (JSON array) form is recognised where it exists. Heredocs ({@code <<EOF}) are refused: their body
 * lines would otherwise be read as instructions.
 */
public record Dockerfile(String name, char escape, Optional<String> syntax, List<Instruction> instructions,
    List<String> warnings) {

  public static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
      "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
      "WORKDIR");
  /** Instructions with an exec form: {@code CMD ["node", "index.js"]}. */
  static final Set<String> EXEC_FORM = Set.of("CMD", "ENTRYPOINT", "RUN", "SHELL", "COPY", "ADD", "VOLUME");

  private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");
  private static final ObjectReader JSON = new ObjectMapper().readerFor(JsonNode.class)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public Dockerfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(syntax, "syntax");
    instructions = List.copyOf(instructions);
    warnings = List.copyOf(warnings);
  }

  /** Parses {@code text}; {@code name} is how messages call the file (e.g. {@code my-app/Dockerfile}). */
  public static Dockerfile parse(String name, String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length > 0 && lines[0].startsWith("\uFEFF")) {
      lines[0] = lines[0].substring(1);
    }
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].endsWith("\r")) {
        lines[i] = lines[i].substring(0, lines[i].length() - 1);
      }
    }
    char escape = '\\';
    String syntax = null;
    List<String> warnings = new ArrayList<>();
    List<Instruction> out = new ArrayList<>();
    boolean directives = true;
    java.util.Set<String> seen = new java.util.HashSet<>();
    Pattern continuation = continuation(escape);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i].stripLeading();
      if (directives) {
        Matcher d = DIRECTIVE.matcher(line);
        String key = d.matches() ? d.group(1).toLowerCase(Locale.ROOT) : null;
        if (key != null && DIRECTIVES.contains(key)) {
          if (!seen.add(key)) {
            throw new DockerfileException(name, lineNo, "only one " + key + " parser directive can be used");
          }
          if (key.equals("escape")) {
            String v = d.group(2);
            if (!v.equals("\\") && !v.equals("`")) {
              throw new DockerfileException(name, lineNo, "invalid escape token '" + v + "' does not match ` or \\");
            }
            escape = v.charAt(0);
            continuation = continuation(escape);
          } else if (key.equals("syntax")) {
            syntax = d.group(2);
          }
          continue;
        }
        directives = false;
      }
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      StringBuilder joined = new StringBuilder();
      Matcher m = continuation.matcher(line);
      boolean more = m.find();
      joined.append(more ? line.substring(0, m.start()) + m.group(1) : line);
      int end = lineNo;
      boolean blankContinuation = false;
      while (more && i + 1 < lines.length) {
        String next = lines[++i];
        end = i + 1;
        String trimmed = next.stripLeading();
        if (trimmed.startsWith("#")) {
          continue;
        }
        if (trimmed.isEmpty()) {
          blankContinuation = true;
          continue;
        }
        m = continuation.matcher(next);
        more = m.find();
        joined.append(more ? next.substring(0, m.start()) + m.group(1) : next);
      }
      if (blankContinuation) {
        warnings.add(name + ":" + lineNo + ": empty continuation line (BuildKit warns that these will become errors)");
      }
      out.add(instruction(name, joined.toString(), escape, lineNo, end));
    }
    if (out.isEmpty()) {
      throw new DockerfileException(name, 0, "the file has no instructions");
    }
    return new Dockerfile(name, escape, Optional.ofNullable(syntax), out, warnings);
  }

  /** The escape character as the last non-blank character, not itself escaped (group 1: what precedes it). */
  private static Pattern continuation(char escape) {
    String e = Pattern.quote(String.valueOf(escape));
    return Pattern.compile("([^" + (escape == '\\' ? "\\\\" : "`") + "]|^)" + e + "[ \\t]*$");
  }

  private static Instruction instruction(String file, String line, char escape, int start, int end) {
    String t = line.strip();
    int sp = indexOfWhitespace(t);
    String keyword = (sp < 0 ? t : t.substring(0, sp)).toUpperCase(Locale.ROOT);
    String rest = sp < 0 ? "" : t.substring(sp).strip();
    if (!KEYWORDS.contains(keyword)) {
      throw new DockerfileException(file, start, "unknown instruction: " + keyword
          + " (known: " + String.join(", ", new java.util.TreeSet<>(KEYWORDS)) + ")");
    }
    List<Flag> flags = new ArrayList<>();
    String args = splitFlags(rest, flags).strip();
    Optional<List<String>> json = Optional.empty();
    String exec = keyword.equals("HEALTHCHECK") ? healthcheckCommand(args) : EXEC_FORM.contains(keyword) ? args : null;
    if (exec != null && exec.startsWith("[")) {
      json = jsonArray(file, start, exec);
    }
    if (json.isEmpty() && (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD"))) {
      for (String w : NameValues.words(args, escape)) {
        Matcher h = HEREDOC.matcher(w);
        if (h.matches() && !h.group(3).isEmpty()) {
          throw new DockerfileException(file, start, "heredocs (" + w + ") are not supported by graft: put the "
              + "text in a file of the app directory and " + (keyword.equals("RUN")
                  ? "see below for what to write instead of RUN" : "COPY that file"));
        }
      }
    }
    return new Instruction(keyword, flags, args, json, start, end);
  }

  /** HEALTHCHECK's command after its type word ({@code CMD …}), or null. */
  private static String healthcheckCommand(String args) {
    int sp = indexOfWhitespace(args);
    return sp < 0 ? null : args.substring(sp).strip();
  }

  /** The JSON array of strings, or empty when the text is not JSON (then it is the shell form). */
  private static Optional<List<String>> jsonArray(String file, int line, String text) {
    JsonNode n;
    try {
      n = JSON.readValue(text);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (!n.isArray()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : n) {
      if (!item.isTextual()) {
        throw new DockerfileException(file, line, "when using JSON array syntax, arrays must be comprised of "
            + "strings only: " + text);
      }
      out.add(item.asText());
    }
    return Optional.of(out);
  }

  /**
   * Splits leading {@code --name[=value]} words off {@code text} into {@code flags} and returns the
   * rest; {@code --} alone ends the flags. Flag values may be quoted; {@code \} escapes (BuildKit
   * uses a backslash here whatever the escape directive says).
   */
  static String splitFlags(String text, List<Flag> flags) {
    int pos = 0;
    int n = text.length();
    while (true) {
      while (pos < n && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      if (pos + 1 >= n || text.charAt(pos) != '-' || text.charAt(pos + 1) != '-') {
        return text.substring(Math.min(pos, n));
      }
      StringBuilder word = new StringBuilder();
      char quote = 0;
      for (; pos < n; pos++) {
        char c = text.charAt(pos);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
            continue;
          }
        } else if (Character.isWhitespace(c)) {
          break;
        } else if (c == '\'' || c == '"') {
          quote = c;
          continue;
        }
        if (c == '\\') {
          if (pos + 1 == n) {
            continue;
          }
          c = text.charAt(++pos);
        }
        word.append(c);
      }
      String w = word.toString();
      if (w.equals("--")) {
        return text.substring(pos);
      }
      int eq = w.indexOf('=');
      flags.add(eq < 0 ? new Flag(w.substring(2), null) : new Flag(w.substring(2, eq), w.substring(eq + 1)));
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
