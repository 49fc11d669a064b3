package dev.graft.npm;

import dev.graft.oci.Require;


/**
 * What graft makes of a package's install scripts, which it never runs: {@code FINE} (nothing
 * is lost: a prebuild for the target is in the package, or the script only rearranges files the
 * package works without), {@code WARNING} (an unknown script is skipped, or a refusal accepted
 * with {@code scripts: allow}) or {@code ERROR} (the package would not work without compiling or
 * downloading: the build stops, naming the ways out).
 */
public record ScriptVerdict(LockedPackage pkg, Kind kind, String script, String message) {
  public enum Kind { FINE, WARNING, ERROR }

  public ScriptVerdict {
    Require.nonNull("pkg, kind, script, message", pkg, kind, script, message);
  }
}
