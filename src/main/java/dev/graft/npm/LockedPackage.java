package dev.graft.npm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Require;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of a lockfile's {@code packages} map: a package at an install path
 * ({@code node_modules/@img/sharp-linux-x64}), with the flags npm computed for it (dev, optional,
 * devOptional, peer), its platform fields, its bin map (normalised as npm normalises it) and
 * its dependency names by kind. {@code raw} is the entry as written, for the hidden lockfile.
 */
public record LockedPackage(
    String path,
    String name,
    String version,
    Optional<String> resolved,
    Optional<Integrity> integrity,
    Optional<String> license,
    Flags flags,
    boolean inBundle,
    boolean hasInstallScript,
    List<String> os,
    List<String> cpu,
    List<String> libc,
    Map<String, String> bin,
    Map<String, Boolean> dependencies,
    ObjectNode raw) {

  /** The dependency flags arborist's calc-dep-flags wrote into the lockfile. */
  public record Flags(boolean dev, boolean optional, boolean devOptional, boolean peer) {
    /** Whether {@code npm ci --omit=…} leaves the package out (arborist's {@code shouldOmit}). */
    public boolean omittedBy(Set<Omit> omit) {
      return peer && omit.contains(Omit.PEER)
          || dev && omit.contains(Omit.DEV)
          || optional && omit.contains(Omit.OPTIONAL)
          || devOptional && omit.contains(Omit.OPTIONAL) && omit.contains(Omit.DEV);
    }
  }

  public LockedPackage {
    Require.nonNull("path, name, version, resolved, integrity, license, flags, raw",
        path, name, version, resolved, integrity, license, flags, raw);
    os = List.copyOf(os);
    cpu = List.copyOf(cpu);
    libc = List.copyOf(libc);
    bin = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bin));
    dependencies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dependencies));
  }

  /** {@code name@version}, as npm names a package in messages. */
  public String id() {
    return name + "@" + version;
  }

  /** Whether os, cpu and libc allow {@code t} (npm-install-checks' rules, "!x" negations included). */
  public boolean runsOn(NpmTarget t) {
    return mismatch(t).isEmpty();
  }

  /** Why the platform fields exclude {@code t} ("cpu [arm64]"), or empty when they allow it. */
  public Optional<String> mismatch(NpmTarget t) {
    if (!os.isEmpty() && !listAllows(os, t.os())) {
      return Optional.of("os " + os);
    }
    if (!cpu.isEmpty() && !listAllows(cpu, t.cpu())) {
      return Optional.of("cpu " + cpu);
    }
    if (!libc.isEmpty() && !listAllows(libc, t.libc().npmName())) {
      return Optional.of("libc " + libc);
    }
    return Optional.empty();
  }

  /** npm-install-checks' checkList: "any" allows all; "!x" excludes x; otherwise a listed value. */
  static boolean listAllows(List<String> list, String value) {
    if (list.size() == 1 && list.get(0).equals("any")) {
      return true;
    }
    int negated = 0;
    boolean match = false;
    for (String entry : list) {
      if (entry.startsWith("!")) {
        negated++;
        if (entry.substring(1).equals(value)) {
          return false;
        }
      } else {
        match |= entry.equals(value);
      }
    }
    return match || negated == list.size();
  }
}
