package dev.graft.verify.loader;

import java.util.List;
import java.util.Optional;

/** One libc's dynamic loader: where it looks for a NEEDED name, and what it refuses. */
public sealed interface LoaderRules permits MuslLoader, GlibcLoader {
  Libc libc();

  ProcessIdentity identity();

  /** The interpreter path programs of this process name in PT_INTERP. */
  default String interpreter() {
    return libc().interpreter(identity().machine(), identity().armHardFloat());
  }

  /** For names the loader answers with itself (musl's libc.so, libm.so.6, ...): the file it means. */
  Optional<String> builtin(String name);

  /** The directories searched, in order, for a library {@code needing} asks for. */
  List<SearchDir> searchPath(LoadedObject needing);

  /** Whether a candidate of the wrong machine/class is skipped (glibc) rather than fatal (musl). */
  boolean skipsIncompatible();
}
