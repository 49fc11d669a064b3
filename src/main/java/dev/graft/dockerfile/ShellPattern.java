package dev.graft.dockerfile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell patterns of {@code ${NAME#pat}}, {@code ${NAME%pat}} and {@code ${NAME/pat/rep}}:
 * {@code *} any text, {@code ?} one character, {@code \*}, {@code \?} and {@code \\} literal
 * (BuildKit has no bracket expressions, so {@code [} is literal too).
 */
final class ShellPattern {
  private ShellPattern() {}

  static Pattern compile(String pattern) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '\\') {
        char n = i + 1 < pattern.length() ? pattern.charAt(i + 1) : '\0';
        if (n == '}' || n == '/') {
          continue; // escaped only to end the ${…}; the escape is not part of the pattern
        }
        if (n != '*' && n != '?' && n != '\\') {
          throw new ShellWords.WordException("invalid escape '\\" + (n == '\0' ? "" : String.valueOf(n))
              + "' in pattern '" + pattern + "'", null);
        }
        re.append(Pattern.quote(String.valueOf(n)));
        i++;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** {@code value} without the shortest (or longest) prefix matching the pattern. */
  static String trimPrefix(String value, String pattern, boolean longest) {
    Pattern p = compile(pattern);
    int found = -1;
    for (int end = 0; end <= value.length(); end++) {
      if (p.matcher(value.substring(0, end)).matches()) {
        found = end;
        if (!longest) {
          break;
        }
      }
    }
    return found < 0 ? value : value.substring(found);
  }

  /** {@code value} without the shortest (or longest) suffix matching the pattern. */
  static String trimSuffix(String value, String pattern, boolean longest) {
    Pattern p = compile(pattern);
    int found = -1;
    for (int start = value.length(); start >= 0; start--) {
      if (p.matcher(value.substring(start)).matches()) {
        found = start;
        if (!longest) {
          break;
        }
      }
    }
    return found < 0 ? value : value.substring(0, found);
  }

  /**
   * The first (or every) longest match of the pattern in {@code value} replaced; as Go's regexp
   * does it, an empty match right after a match is not replaced.
   */
  static String replace(String value, String pattern, String replacement, boolean all) {
    if (pattern.isEmpty()) {
      return value;
    }
    Matcher m = compile(pattern).matcher(value);
    StringBuilder out = new StringBuilder();
    int last = 0;
    int previousEnd = -1;
    while (m.find()) {
      if (m.start() == m.end() && m.start() == previousEnd) {
        continue;
      }
      out.append(value, last, m.start()).append(replacement);
      last = m.end();
      previousEnd = m.end();
      if (!all) {
        break;
      }
    }
    return out.append(value, last, value.length()).toString();
  }
}
