package dev.graft.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where a layer's files come from. */
public sealed interface LayerSource {
  /** Whether paths are looked up inside an image (absolute) rather than in a local directory (relative). */
  boolean isImage();

  /**
   * Calls the one function of {@code cases} for this kind of source. Java 17 has no switch over a
   * sealed type's patterns; this is its stand-in: a new kind of source adds a method to
   * {@link Cases}, and the compiler then names every place that must handle it.
   */
  <R> R match(Cases<R> cases);

  /** One function per kind of source (see {@link #match}). */
  interface Cases<R> {
    R builder();

    R base();

    R directory(Directory source);

    R npm(Npm source);
  }

  /** The builder image of the same platform (e.g. {@code node:18-alpine3.16}). */
  record Builder() implements LayerSource {
    @Override
    public boolean isImage() {
      return true;
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.builder();
    }

    @Override
    public String toString() {
      return "builder";
    }
  }

  /** The base image itself (to relocate or re-layer files it already has). */
  record Base() implements LayerSource {
    @Override
    public boolean isImage() {
      return true;
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.base();
    }

    @Override
    public String toString() {
      return "base";
    }
  }

  /**
   * An npm lockfile: node_modules laid out from it per platform, as {@code npm ci} would in the
   * layer's {@code to} directory.
   *
   * @param lockfile package-lock.json (or npm-shrinkwrap.json), absolute
   * @param omit dependency kinds left out ({@code omit}, default dev)
   * @param libc the libc to install for; empty for {@code auto} (the libc of the node the image runs)
   * @param allowScripts {@code scripts: allow}: a package that needs its install script is let through
   */
  record Npm(Path lockfile, java.util.Set<dev.graft.npm.Omit> omit, java.util.Optional<dev.graft.npm.Libc> libc,
      boolean allowScripts) implements LayerSource {
    public Npm {
      Objects.requireNonNull(lockfile, "lockfile");
      if (!lockfile.isAbsolute()) {
        throw new IllegalArgumentException("lockfile must be resolved to an absolute path: " + lockfile);
      }
      omit = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(omit.isEmpty()
          ? java.util.EnumSet.noneOf(dev.graft.npm.Omit.class) : omit));
      Objects.requireNonNull(libc, "libc");
    }

    @Override
    public boolean isImage() {
      return false;
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.npm(this);
    }

    @Override
    public String toString() {
      return "npm " + lockfile;
    }
  }

  /**
   * A local directory (or, from a Dockerfile's COPY, a single file), already resolved against the
   * directory of the file that named it. {@code chmod} and {@code chown} are COPY's
   * {@code --chmod} ({@code 755}, {@code u+x}) and {@code --chown} ({@code 1000:1000}, {@code app}):
   * without them files are 0644 (0755 when executable by their owner), directories 0755, owned by 0:0.
   */
  record Directory(Path dir, Optional<String> chmod, Optional<String> chown) implements LayerSource {
    public Directory {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(chmod, "chmod");
      Objects.requireNonNull(chown, "chown");
      if (!dir.isAbsolute()) {
        throw new IllegalArgumentException("layer directory must be resolved to an absolute path: " + dir);
      }
    }

    public Directory(Path dir) {
      this(dir, Optional.empty(), Optional.empty());
    }

    @Override
    public boolean isImage() {
      return false;
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.directory(this);
    }

    @Override
    public String toString() {
      return dir.toString();
    }
  }
}
