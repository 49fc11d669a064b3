package dev.graft.oci;

/**
 * Names and text from images, made safe to print on a terminal. An image may name a file
 * {@code "\e]0;title\a"} (sets the terminal's title), {@code "\e[2J"} (clears the screen) or
 * {@code "a\n-rw-r--r-- ... /etc/forged"} (forges a line of a listing); printed raw, the terminal
 * obeys. Control characters (C0, DEL, C1), the bidirectional overrides that reorder what is shown
 * ("Trojan Source") and lone surrogates are written as escapes instead: {@code \n}, {@code \e},
 * {@code \x7f}, {@code \u009b}, {@code \u202e}.
 */
public final class Printable {
  private Printable() {}

  /**
   * An image path or any name from an image, escaped; a backslash is doubled, so the result is
   * unambiguous (a name that spells {@code \e} shows as {@code \\e}), as {@code ls -b} shows it.
   */
  public static String path(String name) {
    return escape(name, true, false);
  }

  /** Text that may embed names from images (a message, a label): escaped, backslashes kept. */
  public static String text(String text) {
    return escape(text, false, false);
  }

  /** As {@link #text}, keeping line breaks: for output that is several lines by design. */
  public static String lines(String text) {
    return escape(text, false, true);
  }

  /** True for the characters {@link #text} escapes (besides lone surrogates). */
  public static boolean isUnsafe(char c) {
    return c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f
        || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
  }

  private static String escape(String s, boolean backslash, boolean keepNewlines) {
    int i = 0;
    while (i < s.length() && !needsEscape(s, i, backslash, keepNewlines)) {
      i += width(s, i);
    }
    if (i == s.length()) {
      return s; // the common case, without allocating
    }
    StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!needsEscape(s, i, backslash, keepNewlines)) {
        sb.append(s, i, i + width(s, i));
        i += width(s, i);
        continue;
      }
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case 0x1b -> sb.append("\\e");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> sb.append(c <= 0x7f ? String.format(java.util.Locale.ROOT, "\\x%02x", (int) c)
            : String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      }
      i++;
    }
    return sb.toString();
  }

  /** 2 at a valid surrogate pair (one character outside the BMP), else 1. */
  private static int width(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        ? 2 : 1;
  }

  private static boolean needsEscape(String s, int i, boolean backslash, boolean keepNewlines) {
    char c = s.charAt(i);
    if (c == '\\') {
      return backslash;
    }
    if (c == '\n') {
      return !keepNewlines;
    }
    if (Character.isSurrogate(c)) {
      return width(s, i) == 1; // a lone surrogate (a valid pair is looked at from its first half)
    }
    return isUnsafe(c);
  }
}
