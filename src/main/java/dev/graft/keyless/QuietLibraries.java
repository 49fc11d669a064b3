package dev.graft.keyless;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * sigstore-java, gRPC and google-http-client log through java.util.logging, whose default handler
 * prints INFO and above on stderr. graft prints only what its commands say (failures come back as
 * exceptions with graft's messages), so these loggers are switched off on the keyless path. The
 * loggers are held here: java.util.logging keeps only weak references, and a collected logger
 * would come back at the default level.
 */
final class QuietLibraries {
  private static final List<Logger> HELD = List.of(Logger.getLogger("dev.sigstore"), Logger.getLogger("io.grpc"),
      Logger.getLogger("com.google.api.client"));

  private QuietLibraries() {}

  static void apply() {
    HELD.forEach(l -> l.setLevel(Level.OFF));
  }
}
