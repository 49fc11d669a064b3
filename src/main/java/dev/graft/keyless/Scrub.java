package dev.graft.keyless;

import java.util.List;

/**
 * Messages from sigstore-java and its HTTP and gRPC clients, made safe to print: a token that
 * found its way into one (an echoed request, a server's error) is replaced. Only the messages are
 * kept, never the exceptions, so a --stacktrace trace cannot show what was scrubbed here.
 */
final class Scrub {
  private Scrub() {}

  /** The messages of {@code e} and its causes, joined, with every secret replaced by "[redacted]". */
  static String message(Throwable e, List<String> secrets) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null && out.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      if (out.indexOf(m) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(m);
      }
    }
    String text = out.toString();
    for (String s : secrets) {
      if (s != null && s.length() >= 8) {
        text = text.replace(s, "[redacted]");
      }
    }
    return text.replaceAll("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*", "[redacted JWT]");
  }
}
