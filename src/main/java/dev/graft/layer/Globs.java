package dev.graft.layer;

import java.util.regex.Pattern;

/** Path globs: {@code *} and {@code ?} stay within a component, {@code **} spans components. */
public final class Globs {
  private Globs() {}

  public static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  public static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(slashAfter ? "(?:.*/)?" : ".*"); // "**/" may match no directory at all
        i += slashAfter ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = glob.indexOf(']', i + 1);
        if (end < 0) {
          re.append("\\[");
        } else {
          String set = glob.substring(i + 1, end);
          re.append('[').append(set.startsWith("!") ? "^" + Pattern.quote(set.substring(1)) : Pattern.quote(set)).append(']');
          i = end;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  /** True when the path or one of its ancestors matches (an excluded directory excludes its contents). */
  public static boolean matchesSelfOrAncestor(Pattern p, String path) {
    for (String a = path; ; a = TarPaths.parent(a)) {
      if (p.matcher(a).matches()) {
        return true;
      }
      if (a.equals("/")) {
        return false;
      }
    }
  }
}
