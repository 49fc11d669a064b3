package dev.graft.cli;

/** Renders an exception chain as one readable line without repeating messages. */
final class ErrorLine {
  private ErrorLine() {}

  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    String last = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m == null || m.isBlank()) {
        continue;
      }
      if (last != null && (last.contains(m))) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(": ");
      }
      sb.append(m.strip());
      last = m;
      if (c instanceof dev.graft.registry.RegistryException) {
        break; // written to be complete (cause summarised, fix named); its causes are JDK noise
      }
    }
    return sb.length() == 0 ? t.getClass().getSimpleName() : sb.toString();
  }
}
