package dev.graft.assemble;

/**
 * A failed pipeline step, worded "failed to &lt;step&gt; for &lt;platform&gt;: &lt;cause&gt;" so the
 * one-line error says where the build stopped.
 */
public class BuildException extends RuntimeException {
  private final String step;

  public BuildException(String step, String where, Throwable cause) {
    super("failed to " + step + (where == null || where.isEmpty() ? "" : " for " + where) + ": " + message(cause),
        cause);
    this.step = step;
  }

  public BuildException(String step, String where, String message) {
    super("failed to " + step + (where == null || where.isEmpty() ? "" : " for " + where) + ": " + message);
    this.step = step;
  }

  public String step() {
    return step;
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
