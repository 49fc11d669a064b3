package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import java.util.Objects;
import java.util.Optional;

/**
 * A program as it runs (node): its libc, and every object its loader has mapped before it
 * {@code dlopen()}s an addon. Addons are judged inside it: by its loader, not their own libc's.
 *
 * @param path the program's path as started
 * @param libc the C library the program (and so the process) runs on
 * @param resolution what its loader mapped; complete, or there would be no process
 */
public record HostProgram(String path, Libc libc, LoaderResolution resolution) {
  public HostProgram {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(libc, "libc");
    Objects.requireNonNull(resolution, "resolution");
  }

  /**
   * The process a dynamically linked program of this platform starts; empty when it would not start
   * at all (missing, not ELF, another machine, static, no libc, a loader or library missing): its own
   * findings say why, and its addons can only be judged alone.
   */
  public static Optional<HostProgram> of(ImageContext ctx, String path) {
    Optional<ResolvedPath> rp = ImagePaths.resolve(ctx.files(), path).filter(r -> r.entry().isFile());
    if (rp.isEmpty() || !ctx.elfs().isElf(rp.get().path())) {
      return Optional.empty();
    }
    ElfFile elf;
    try {
      elf = ctx.elfs().get(rp.get().path());
    } catch (ElfFormatException e) {
      return Optional.empty();
    }
    Optional<Libc> libc = Libc.of(elf);
    if (elf.isStatic() || elf.interpreter().isEmpty() || libc.isEmpty() || ctx.identity().mismatch(elf) != null) {
      return Optional.empty();
    }
    LoaderResolution r = DynamicLoader.resolve(ctx.elfs(), ctx.loader(libc.get()), path);
    return r.complete() ? Optional.of(new HostProgram(path, libc.get(), r)) : Optional.empty();
  }

  /** Loads an addon into this process as {@code dlopen()} would. */
  public LoaderResolution dlopen(ElfCache elfs, String addonPath) {
    return DynamicLoader.resolveDlopen(elfs, resolution, addonPath);
  }
}
