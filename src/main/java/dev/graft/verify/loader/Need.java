package dev.graft.verify.loader;

import java.util.Objects;

/**
 * Something a file needs from a library that the library it would get lacks.
 *
 * @param what a symbol version ({@code GLIBC_2.33}) or a symbol ({@code __pthread_unwind@GLIBC_PRIVATE})
 * @param library the library's load name ({@code libc.so.6})
 * @param neededBy the file that needs it
 */
public record Need(String what, String library, String neededBy) {
  public Need {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(neededBy, "neededBy");
  }

  @Override
  public String toString() {
    return what + " (needed by " + neededBy + ")";
  }
}
