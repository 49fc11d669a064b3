package dev.graft.cli;

import java.util.Map;
import java.util.Set;

/**
 * Loads and initialises, on the second core, the libraries a command reaches a moment later
 * (the YAML parser, the JSON mapper, the SHA-256 provider, the HTTP client) while the main thread
 * is still parsing the command line: class loading and static set-up are a large part of a short
 * rebuild, and they need no input. Nothing here has an effect beyond the JVM's class state; a
 * failure is ignored (the main thread meets and reports it where the library is really used).
 */
final class Prewarm {
  private static final Set<String> COMMANDS = Set.of("build", "copy", "inspect", "verify", "ls", "extract", "plan");

  private Prewarm() {}

  static void start(String[] args) {
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      return;
    }
    Thread t = new Thread(Prewarm::run, "graft-prewarm");
    t.setDaemon(true);
    t.start();
  }

  private static void run() {
    try {
      try (var p = new com.fasterxml.jackson.dataformat.yaml.YAMLFactory().createParser("a: [1, b]\n")) {
        while (p.nextToken() != null) {
          p.currentName();
        }
      }
      dev.graft.oci.Json.MAPPER.readTree(dev.graft.oci.Json.MAPPER.writeValueAsBytes(Map.of("a", 1)));
      java.security.MessageDigest.getInstance("SHA-256").digest(new byte[64]);
      new java.net.URL("http://127.0.0.1/").openConnection();
    } catch (Exception | LinkageError e) {
      // only a head start
    }
  }
}
