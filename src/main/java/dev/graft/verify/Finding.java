package dev.graft.verify;

import dev.graft.oci.Require;


/**
 * One verdict about one file.
 *
 * @param severity error (the image will fail at run time), warning or info
 * @param code stable machine-readable name, e.g. {@code LIBRARY_MISSING}
 * @param path the image path the finding is about
 * @param message what is wrong, in plain words, naming files, libraries and packages
 * @param fix what to do about it (may be empty)
 */
public record Finding(Severity severity, String code, String path, String message, String fix) {
  public Finding {
    Require.nonNull("severity, code, path, message", severity, code, path, message);
    fix = fix == null ? "" : fix;
  }
}
