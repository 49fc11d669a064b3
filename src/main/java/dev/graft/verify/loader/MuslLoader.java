package dev.graft.verify.loader;

import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * musl's search rules (ldso/dynlink.c, {@code load_library}): names starting with {@code libc.},
 * {@code libm.}, {@code libpthread.}, {@code libdl.}, {@code librt.}, {@code libutil.},
 * {@code libxnet.} are musl itself; otherwise {@code LD_LIBRARY_PATH}, then the RPATH/RUNPATH
 * (musl treats them alike, RUNPATH winning) of the needing object and of each object up the
 * chain that loaded it, with {@code $ORIGIN} expanded; then {@code /etc/ld-musl-<arch>.path}
 * (entries split at ':' and newlines) if present, else {@code /lib:/usr/local/lib:/usr/lib}.
 * musl checks no symbol versions.
 */
public record MuslLoader(ImageFiles files, ProcessIdentity identity, List<String> ldLibraryPath) implements LoaderRules {
  private static final List<String> RESERVED = List.of("c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet.");
  private static final long MAX_PATH_FILE = 1 << 16;

  public MuslLoader {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(identity, "identity");
    ldLibraryPath = List.copyOf(ldLibraryPath);
  }

  @Override
  public Libc libc() {
    return Libc.MUSL;
  }

  @Override
  public boolean skipsIncompatible() {
    return false;
  }

  @Override
  public Optional<String> builtin(String name) {
    if (name.startsWith("lib")) {
      for (String r : RESERVED) {
        if (name.startsWith(r, 3)) {
          return Optional.of(interpreter());
        }
      }
    }
    return Optional.empty();
  }

  /** {@code /etc/ld-musl-<arch>.path}: where musl reads its system search path from. */
  public String pathFile() {
    return "/etc/ld-musl-" + Libc.muslArch(identity.machine(), identity.armHardFloat()) + ".path";
  }

  @Override
  public List<SearchDir> searchPath(LoadedObject needing) {
    List<SearchDir> out = new ArrayList<>();
    for (String d : ldLibraryPath) {
      out.add(new SearchDir(d, "LD_LIBRARY_PATH"));
    }
    for (Optional<LoadedObject> o = Optional.of(needing); o.isPresent(); o = o.get().neededBy()) {
      LoadedObject obj = o.get();
      boolean runpath = obj.hasRunpath();
      for (String d : runpath ? obj.elf().runpath() : obj.elf().rpath()) {
        out.add(new SearchDir(expandOrigin(d, obj), (runpath ? "RUNPATH" : "RPATH") + " of " + obj.path()));
      }
    }
    out.addAll(systemPath());
    return out;
  }

  private static String expandOrigin(String dir, LoadedObject obj) {
    String origin = ImagePaths.dirname(obj.path());
    return dir.replace("${ORIGIN}", origin).replace("$ORIGIN", origin);
  }

  List<SearchDir> systemPath() {
    Optional<ResolvedPath> f = ImagePaths.resolve(files, pathFile());
    List<SearchDir> out = new ArrayList<>();
    if (f.isPresent() && f.get().entry().isFile()) {
      try (InputStream in = files.open(f.get().path())) {
        String text = new String(in.readNBytes((int) MAX_PATH_FILE), StandardCharsets.UTF_8);
        for (String d : text.split("[:\n]")) {
          if (!d.isBlank()) {
            out.add(new SearchDir(d.trim(), pathFile()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }
    for (String d : List.of("/lib", "/usr/local/lib", "/usr/lib")) {
      out.add(new SearchDir(d, "musl default path"));
    }
    return out;
  }
}
