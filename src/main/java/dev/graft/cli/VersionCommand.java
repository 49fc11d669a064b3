package dev.graft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code graft version}. */
@Command(name = "version", description = "Print graft's version and the Java runtime it runs on.")
public final class VersionCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
  }

  /** graft's version: the jar's, or "dev" when run from classes. */
  public static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Version lines, shared with {@code graft --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
          "graft " + version(),
          "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
      };
    }
  }
}
