package dev.graft.oci;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's home as docker, skopeo, podman and graft's own launcher find it: {@code $HOME}, and
 * only when that is unset the passwd entry's (Java's {@code user.home}). CI containers often run
 * with a HOME other than the passwd entry's, and credentials and caches live under it.
 */
public final class HomeDirectory {
  private HomeDirectory() {}

  /** From this process's environment. */
  public static Path get() {
    return of(System.getenv());
  }

  /** From {@code env} (tests pass their own). */
  public static Path of(Map<String, String> env) {
    String home = env.get("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
  }
}
