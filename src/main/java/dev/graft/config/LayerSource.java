package dev.graft.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where a layer's files come from. */
public sealed interface LayerSource {
  /** Whether paths are looked up inside an image (absolute) rather than in a local directory (relative). */
  boolean isImage();

  /** The builder image of the same platform (e.g. {@code node:18-alpine3.16}). */
  record Builder() implements LayerSource {
    @Override
    public boolean isImage() {
      return true;
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
    public String toString() {
      return "base";
    }
  }

  /** A local directory, already resolved against the directory of the file that named it. */
  record Directory(Path dir) implements LayerSource {
    public Directory {
      Objects.requireNonNull(dir, "dir");
      if (!dir.isAbsolute()) {
        throw new IllegalArgumentException("layer directory must be resolved to an absolute path: " + dir);
      }
    }

    @Override
    public boolean isImage() {
      return false;
    }

    @Override
    public String toString() {
      return dir.toString();
    }
  }
}
