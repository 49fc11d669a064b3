package dev.graft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code graft version}. */
@Command(name = "version", description = "Print graft's version and the Java runtime it runs on.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft version",
        "  graft --version",
        "",
        "See docs/install.md."})
public final class VersionCommand implements Runnable {
  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
  }

  /** Version lines, shared with {@code graft --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
          "graft " + (v == null ? "dev" : v),
          "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
      };
    }
  }
}
