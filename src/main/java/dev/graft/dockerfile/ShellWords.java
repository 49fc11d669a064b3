package dev.graft.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Dockerfile's word processing, as BuildKit's shell lexer does it for ADD, COPY, ENV, EXPOSE,
 * FROM, LABEL, USER, VOLUME, WORKDIR and ARG: quotes are removed ({@code '…'} literal,
 * {@code "…"} with {@code $} expanded and {@code \"}, {@code \$}, {@code \\} unescaped), the
 * escape character makes the next character literal, and {@code $NAME}, {@code ${NAME}} and the
 * POSIX forms {@code ${NAME:-word}}, {@code ${NAME-word}}, {@code ${NAME:+word}},
 * {@code ${NAME+word}}, {@code ${NAME:?msg}}, {@code ${NAME?msg}}, {@code ${NAME#pat}},
 * {@code ${NAME##pat}}, {@code ${NAME%pat}}, {@code ${NAME%%pat}}, {@code ${NAME/pat/rep}} and
 * {@code ${NAME//pat/rep}} are replaced. Words are split on unquoted whitespace after expansion
 * (text from a variable splits, quoted text does not).
 *
 * <p>A name the Dockerfile does not define may be <em>deferred</em> (an {@code ENV} value that uses
 * the base image's {@code PATH}): the result is then a template in which {@code ${NAME}} stands for
 * the base image's value and {@code $$} for a literal {@code $}, to be filled in once the base is read.
 */
public final class ShellWords {
  /** The value of a name: literal text, or a template (see above) that waits for the base image. */
  public record Value(String text, boolean template) {
    public static Value of(String text) {
      return new Value(text, false);
    }
  }

  /** The values the Dockerfile defines at this point (ARG and ENV); empty for a name it does not define. */
  public interface Vars {
    Optional<Value> get(String name);

    /** Whether the name is declared without a value ({@code ARG NAME}): it expands to nothing, no error. */
    default boolean declared(String name) {
      return false;
    }
  }

  /** What to do with a name the Dockerfile does not define. */
  public enum Unknown {
    /** Fail: the value cannot be known here (declare it with ARG). */
    ERROR,
    /** Keep it as {@code ${NAME}} in a template, for the base image's environment. */
    DEFER
  }

  /** The processed text, its words, and whether it is a template (it uses a deferred name). */
  public record Result(String text, List<String> words, boolean template) {
    public Result {
      words = List.copyOf(words);
    }
  }

  /** A word that cannot be processed: a syntax error, or a name that has no value here. */
  public static final class WordException extends RuntimeException {
    private final String name;

    WordException(String message, String name) {
      super(message);
      this.name = name;
    }

    /** The variable at fault, if the problem is a variable's value (null for a syntax error). */
    public String name() {
      return name;
    }
  }

  private static final char EOF = '\uffff';

  private final String src;
  private final char escape;
  private final Vars vars;
  private final Unknown unknown;
  private int pos;
  private boolean usedTemplate;

  private ShellWords(String src, char escape, Vars vars, Unknown unknown) {
    this.src = src;
    this.escape = escape;
    this.vars = vars;
    this.unknown = unknown;
  }

  /** Processes {@code text} with {@code escape} as the escape character ({@code \} or {@code `}). */
  public static Result process(String text, char escape, Vars vars, Unknown unknown) {
    ShellWords w = new ShellWords(text, escape, vars, unknown);
    Out out = w.run(EOF, false);
    return new Result(w.usedTemplate ? out.template.toString() : out.literal.toString(), out.words(), w.usedTemplate);
  }

  /** The literal value of {@code text}; a template result is refused by the caller's rules (ERROR). */
  public static String literal(String text, char escape, Vars vars) {
    return process(text, escape, vars, Unknown.ERROR).text();
  }

  /** Text collected twice: as the literal result, and as a template ({@code $} doubled). */
  private static final class Out {
    final StringBuilder literal = new StringBuilder();
    final StringBuilder template = new StringBuilder();
    final List<String> words = new ArrayList<>();
    final StringBuilder word = new StringBuilder();
    boolean inWord;

    /** A character that splits words when it is whitespace (unquoted text, variable values). */
    void splitting(char c) {
      if (Character.isWhitespace(c)) {
        endWord();
      } else {
        word.append(c);
        inWord = true;
      }
    }

    void raw(String s) {
      word.append(s);
      inWord = true;
    }

    void endWord() {
      if (inWord && word.length() > 0) {
        words.add(word.toString());
      }
      word.setLength(0);
      inWord = false;
    }

    List<String> words() {
      endWord();
      return words;
    }

    void literalChar(char c) {
      literal.append(c);
      template.append(c == '$' ? "$$" : String.valueOf(c));
    }

    void literalText(String s) {
      for (int i = 0; i < s.length(); i++) {
        literalChar(s.charAt(i));
      }
    }
  }

  private char peek() {
    return pos < src.length() ? src.charAt(pos) : EOF;
  }

  private char next() {
    return pos < src.length() ? src.charAt(pos++) : EOF;
  }

  /** Processes until {@code stop} (consumed) or the end; {@code rawEscapes} keeps escapes (patterns). */
  private Out run(char stop, boolean rawEscapes) {
    Out out = new Out();
    while (peek() != EOF) {
      char c = peek();
      if (stop != EOF && c == stop) {
        next();
        return out;
      }
      if (c == '$') {
        Piece p = dollar();
        p.appendTo(out);
        for (int i = 0; i < p.literal.length(); i++) {
          out.splitting(p.literal.charAt(i));
        }
      } else if (c == '\'') {
        String q = singleQuoted();
        out.literalText(q);
        out.raw(q);
      } else if (c == '"') {
        Out q = doubleQuoted();
        out.literal.append(q.literal);
        out.template.append(q.template);
        out.raw(q.literal.toString());
      } else {
        next();
        if (c == escape) {
          if (rawEscapes) {
            out.literalChar(c);
            out.raw(String.valueOf(c));
          }
          char e = next();
          if (e == EOF) {
            break;
          }
          out.literalChar(e);
          out.raw(String.valueOf(e));
        } else {
          out.literalChar(c);
          out.splitting(c);
        }
      }
    }
    if (stop != EOF) {
      throw new WordException("unexpected end of statement while looking for matching " + stop, null);
    }
    return out;
  }

  private String singleQuoted() {
    next();
    StringBuilder b = new StringBuilder();
    for (char c = next(); c != '\''; c = next()) {
      if (c == EOF) {
        throw new WordException("unexpected end of statement while looking for matching single-quote", null);
      }
      b.append(c);
    }
    return b.toString();
  }

  private Out doubleQuoted() {
    next();
    Out out = new Out();
    while (true) {
      char c = peek();
      if (c == EOF) {
        throw new WordException("unexpected end of statement while looking for matching double-quote", null);
      }
      if (c == '"') {
        next();
        return out;
      }
      if (c == '$') {
        dollar().appendTo(out);
        continue;
      }
      next();
      if (c == escape) {
        char e = peek();
        if (e == EOF) {
          continue;
        }
        if (e == '"' || e == '$' || e == escape) {
          c = next();
        }
      }
      out.literalChar(c);
    }
  }

  /** What a {@code $…} stands for: literal text, or a template (when a deferred name is used). */
  private record Piece(String literal, String template) {
    static Piece text(String s) {
      return new Piece(s, s.replace("$", "$$"));
    }

    void appendTo(Out out) {
      out.literal.append(literal);
      out.template.append(template);
    }
  }

  private Piece dollar() {
    next();
    if (peek() != '{') {
      String name = name();
      return name.isEmpty() ? Piece.text("$") : value(name);
    }
    next();
    char c = peek();
    if (c == EOF) {
      throw new WordException("syntax error: missing '}'", null);
    }
    if (c == '{' || c == '}' || c == ':') {
      throw new WordException("syntax error: bad substitution", null);
    }
    String name = name();
    char op = next();
    switch (op) {
      case '}':
        return value(name);
      case ':': {
        char m = next();
        if (m != '-' && m != '+' && m != '?') {
          throw new WordException("unsupported modifier (:" + (m == EOF ? "" : String.valueOf(m)) + ") in substitution",
              null);
        }
        return modifier(name, m, true);
      }
      case '-', '+', '?', '#', '%':
        return modifier(name, op, false);
      case '/':
        return replace(name);
      default:
        throw new WordException(op == EOF ? "syntax error: missing '}'"
            : "unsupported modifier (" + op + ") in substitution", null);
    }
  }

  private Piece modifier(String name, char op, boolean nullIsUnset) {
    String word = word('}', op == '#' || op == '%', "'}'");
    Optional<Value> v = lookup(name, true);
    boolean set = v.isPresent();
    if (set && v.get().template()) {
      throw new WordException("${" + name + (nullIsUnset ? ":" : "") + op + "…} needs the value of " + name
          + ", which comes from the base image: graft reads the base after the Dockerfile, so it can only put "
          + "$" + name + " itself into an ENV value", name);
    }
    String value = set ? v.get().text() : "";
    boolean empty = !set || nullIsUnset && value.isEmpty();
    return switch (op) {
      case '-' -> empty ? Piece.text(word) : Piece.text(value);
      case '+' -> empty ? Piece.text("") : Piece.text(word);
      case '?' -> {
        if (empty) {
          String why = !word.isEmpty() ? word : set ? "is not allowed to be empty" : "is not allowed to be unset";
          throw new WordException(name + ": " + why, name);
        }
        yield Piece.text(value);
      }
      case '#' -> Piece.text(ShellPattern.trimPrefix(value, word.startsWith("#") ? word.substring(1) : word,
          word.startsWith("#")));
      default -> Piece.text(ShellPattern.trimSuffix(value, word.startsWith("%") ? word.substring(1) : word,
          word.startsWith("%")));
    };
  }

  private Piece replace(String name) {
    boolean all = peek() == '/';
    if (all) {
      next();
    }
    String pattern = word('/', true, "'/' in ${}");
    String replacement = word('}', true, "'}'");
    Optional<Value> v = lookup(name, true);
    if (v.isPresent() && v.get().template()) {
      throw new WordException("${" + name + "/…} needs the value of " + name + ", which comes from the base image",
          name);
    }
    return Piece.text(ShellPattern.replace(v.map(Value::text).orElse(""), pattern, replacement, all));
  }

  /** The text up to {@code stop}, processed (nested variables expanded), for a modifier's word. */
  private String word(char stop, boolean rawEscapes, String missing) {
    boolean before = usedTemplate;
    Out o;
    try {
      o = run(stop, rawEscapes);
    } catch (WordException e) {
      if (pos >= src.length() && e.name() == null) {
        throw new WordException("syntax error: missing " + missing, null);
      }
      throw e;
    }
    if (usedTemplate && !before) {
      throw new WordException("a variable inside ${…} comes from the base image: graft reads the base after the "
          + "Dockerfile, so it can only put such a variable itself into an ENV value", null);
    }
    return o.literal.toString();
  }

  private Piece value(String name) {
    Optional<Value> v = lookup(name, false);
    if (v.isEmpty()) {
      usedTemplate = true;
      return new Piece("", "${" + name + "}");
    }
    if (v.get().template()) {
      usedTemplate = true;
      return new Piece("", v.get().text());
    }
    return Piece.text(v.get().text());
  }

  /**
   * The value of {@code name}; for a name the Dockerfile does not define, an empty Optional when it
   * may be deferred (and a modifier does not need it), else a {@link WordException}.
   */
  private Optional<Value> lookup(String name, boolean forModifier) {
    Optional<Value> v = vars.get(name);
    if (v.isPresent()) {
      return v;
    }
    if (forModifier && unknown == Unknown.DEFER && !vars.declared(name) && isName(name)) {
      throw new WordException("${" + name + "…} needs the value of " + name + ", which the Dockerfile does not set, "
          + "so it would come from the base image: graft reads the base after the Dockerfile, so it can only put $"
          + name + " itself into an ENV value", name);
    }
    if (forModifier) {
      return Optional.empty(); // unset: the modifier says what that means
    }
    if (vars.declared(name)) {
      return Optional.of(Value.of(""));
    }
    if (unknown == Unknown.DEFER && isName(name)) {
      return Optional.empty();
    }
    throw new WordException("$" + name + " has no value here: declare it with ARG " + name + " (with a default, or "
        + "give --build-arg " + name + "=…)", name);
  }

  private static boolean isName(String s) {
    return !s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_');
  }

  /** A name: letters, digits and '_'; or digits only (positional); or one special parameter. */
  private String name() {
    StringBuilder b = new StringBuilder();
    char c = peek();
    if (c != EOF && Character.isDigit(c)) {
      while (peek() != EOF && Character.isDigit(peek())) {
        b.append(next());
      }
      return b.toString();
    }
    if ("@*#?-$!0".indexOf(c) >= 0 && c != EOF) {
      return String.valueOf(next());
    }
    while (peek() != EOF && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
      b.append(next());
    }
    return b.toString();
  }
}
