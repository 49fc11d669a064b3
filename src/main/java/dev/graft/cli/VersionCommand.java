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
  @CommandLine.Mixin
  HelpOption help;

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      help.out().println(line);
    }
  }

  /** graft's version as the build stamped it (the pom's), or "dev" when run from unfiltered classes. */
  public static String version() {
    return stamp().getProperty("version", "dev");
  }

  /** Version lines, shared with {@code graft --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      java.util.Properties p = stamp();
      return new String[] {
          "graft " + p.getProperty("version", "dev") + " (commit " + p.getProperty("commit", "unknown") + ")",
          "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
      };
    }
  }

  /** What the build stamped into graft/version.properties; empty when run from unfiltered classes. */
  static java.util.Properties stamp() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in = VersionCommand.class.getClassLoader().getResourceAsStream(
        "graft/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      // no stamp: "dev"
    }
    p.entrySet().removeIf(e -> String.valueOf(e.getValue()).startsWith("${")); // not filtered
    return p;
  }
}
