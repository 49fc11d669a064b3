package dev.graft.registry;

import dev.graft.oci.OneLineFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which scheme a registry that may use plain HTTP answered on last time, so a rebuild against a
 * local or insecure registry asks it over http first instead of failing a TLS handshake first
 * (a JVM's TLS set-up and the failed attempt cost a noticeable part of a quick rebuild). Only an
 * order of attempts: the other scheme is still tried when the remembered one fails, and which
 * schemes are allowed at all is decided by {@link RegistryHost}, never by this file. One small
 * file per registry, replaced atomically; unreadable means nothing is remembered.
 */
final class SchemeMemory {
  private final Path file; // null: nothing is remembered

  SchemeMemory(Path stateDir, RegistryHost host) {
    this.file = stateDir == null ? null
        : stateDir.resolve("scheme-" + host.apiAuthority().replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  Optional<String> recalled() {
    if (file == null) {
      return Optional.empty();
    }
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      return s.equals("http") || s.equals("https") ? Optional.of(s) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  void remember(String scheme) {
    if (file == null || recalled().filter(scheme::equals).isPresent()) {
      return;
    }
    try {
      OneLineFile.replace(file, scheme);
    } catch (IOException | RuntimeException e) {
      // an optimisation only: the next run tries https first again
    }
  }
}
