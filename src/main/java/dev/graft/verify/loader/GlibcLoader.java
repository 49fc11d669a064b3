package dev.graft.verify.loader;

import dev.graft.elf.ElfMachine;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * glibc's search rules (elf/dl-load.c, {@code _dl_map_object}): if the needing object has no
 * RUNPATH, the RPATHs of it and of each object up its loader chain (those without RUNPATH);
 * then {@code LD_LIBRARY_PATH}; then the needing object's own RUNPATH (not inherited); then
 * what {@code /etc/ld.so.conf} lists (the ld.so.cache); then the default directories
 * (Debian/Ubuntu: {@code /lib/<triplet>}, {@code /usr/lib/<triplet>}, {@code /lib}, {@code /usr/lib};
 * others: {@code /lib64}, {@code /usr/lib64} for 64-bit, {@code /lib}, {@code /usr/lib} for 32-bit).
 * {@code $ORIGIN}, {@code $LIB} and {@code $PLATFORM} are expanded. A file of another machine or
 * class is skipped, as glibc does. Not emulated: glibc-hwcaps subdirectories (they only add
 * optimised copies of libraries found anyway) and {@code /etc/ld.so.preload}.
 */
public record GlibcLoader(ImageFiles files, ProcessIdentity identity, List<String> ldLibraryPath,
    List<String> ldSoConfDirs, boolean multiarch) implements LoaderRules {
  public GlibcLoader {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(identity, "identity");
    ldLibraryPath = List.copyOf(ldLibraryPath);
    ldSoConfDirs = List.copyOf(ldSoConfDirs);
  }

  /** Reads the image's ld.so.conf and layout once. */
  public static GlibcLoader of(ImageFiles files, ProcessIdentity identity, List<String> ldLibraryPath) {
    String t = Libc.multiarchTriplet(identity.machine(), identity.armHardFloat());
    boolean multiarch = isDir(files, "/usr/lib/" + t) || isDir(files, "/lib/" + t);
    return new GlibcLoader(files, identity, ldLibraryPath, LdSoConf.dirs(files), multiarch);
  }

  private static boolean isDir(ImageFiles files, String path) {
    return ImagePaths.resolve(files, path).map(r -> r.entry().isDirectory()).orElse(false);
  }

  @Override
  public Libc libc() {
    return Libc.GLIBC;
  }

  @Override
  public boolean skipsIncompatible() {
    return true;
  }

  @Override
  public Optional<String> builtin(String name) {
    return Optional.empty();
  }

  private String triplet() {
    return Libc.multiarchTriplet(identity.machine(), identity.armHardFloat());
  }

  /** What {@code $LIB} expands to. */
  String libToken() {
    if (multiarch) {
      return "lib/" + triplet();
    }
    return identity.bits() == 64 && identity.machine() != ElfMachine.AARCH64 ? "lib64" : "lib";
  }

  /** What {@code $PLATFORM} (the kernel's AT_PLATFORM) expands to. */
  String platformToken() {
    return switch (identity.machine()) {
      case ARM -> "v7l";
      case I386 -> "i686";
      default -> identity.machine().unameName();
    };
  }

  public List<String> defaultDirs() {
    if (multiarch) {
      return List.of("/lib/" + triplet(), "/usr/lib/" + triplet(), "/lib", "/usr/lib");
    }
    if (identity.bits() == 64) {
      return List.of("/lib64", "/usr/lib64");
    }
    return List.of("/lib", "/usr/lib");
  }

  @Override
  public List<SearchDir> searchPath(LoadedObject needing) {
    List<SearchDir> out = new ArrayList<>();
    if (!needing.hasRunpath()) {
      for (Optional<LoadedObject> o = Optional.of(needing); o.isPresent(); o = o.get().neededBy()) {
        LoadedObject obj = o.get();
        if (!obj.hasRunpath()) {
          for (String d : obj.elf().rpath()) {
            out.add(new SearchDir(expand(d, obj), "RPATH of " + obj.path()));
          }
        }
      }
    }
    for (String d : ldLibraryPath) {
      out.add(new SearchDir(d, "LD_LIBRARY_PATH"));
    }
    for (String d : needing.elf().runpath()) {
      out.add(new SearchDir(expand(d, needing), "RUNPATH of " + needing.path()));
    }
    for (String d : ldSoConfDirs) {
      out.add(new SearchDir(d, "/etc/ld.so.conf"));
    }
    for (String d : defaultDirs()) {
      out.add(new SearchDir(d, "default path"));
    }
    return out;
  }

  private String expand(String dir, LoadedObject obj) {
    String origin = ImagePaths.dirname(obj.path());
    return dir.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
        .replace("${LIB}", libToken()).replace("$LIB", libToken())
        .replace("${PLATFORM}", platformToken()).replace("$PLATFORM", platformToken());
  }
}
