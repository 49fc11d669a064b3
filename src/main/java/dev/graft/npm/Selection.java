package dev.graft.npm;

import java.util.List;
import java.util.Objects;

/**
 * Which of a lockfile's packages {@code npm ci} installs for one target, and which it leaves out
 * and why. {@code installed} is in lockfile order.
 */
public record Selection(NpmTarget target, List<LockedPackage> installed, List<LeftOut> leftOut) {
  public Selection {
    Objects.requireNonNull(target, "target");
    installed = List.copyOf(installed);
    leftOut = List.copyOf(leftOut);
  }

  /** A package not installed: omitted by kind ("dev"), or for another platform ("cpu [arm64]"). */
  public record LeftOut(LockedPackage pkg, Reason reason, String detail) {
    public LeftOut {
      Objects.requireNonNull(pkg, "pkg");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  public enum Reason {
    /** {@code omit} names its kind (dev, optional, peer). */
    OMITTED,
    /** An optional package whose os/cpu/libc exclude the target. */
    PLATFORM,
    /** Reachable only through a package left out for its platform (arborist's optional set). */
    ONLY_FOR_LEFT_OUT
  }

  /** Packages whose os/cpu/libc fields exist: the platform packages a plan shows. */
  public List<LockedPackage> platformPackages() {
    return installed.stream().filter(p -> !p.os().isEmpty() || !p.cpu().isEmpty() || !p.libc().isEmpty()).toList();
  }
}
