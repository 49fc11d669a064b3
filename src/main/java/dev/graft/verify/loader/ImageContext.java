package dev.graft.verify.loader;

import dev.graft.elf.ElfMachine;
import dev.graft.oci.Platform;
import dev.graft.oci.Require;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the checks know about the image: its files, platform and the environment the loader
 * sees ({@code LD_LIBRARY_PATH} from the image config's {@code Env}); and the other images where
 * a finding may say what the image lacks can be found (verify.LookInHints).
 */
public record ImageContext(ImageFiles files, ElfCache elfs, Platform platform, ProcessIdentity identity,
    List<String> env, List<OtherImage> lookIn) {
  public ImageContext {
    Require.nonNull("files, elfs, platform, identity", files, elfs, platform, identity);
    env = List.copyOf(env);
    lookIn = List.copyOf(lookIn);
  }

  public ImageContext(ImageFiles files, ElfCache elfs, Platform platform, ProcessIdentity identity, List<String> env) {
    this(files, elfs, platform, identity, env, List.of());
  }

  /** The same image, with other images to look in for what it lacks (in this order). */
  public ImageContext withLookIn(List<OtherImage> others) {
    return new ImageContext(files, elfs, platform, identity, env, others);
  }

  /** For a platform like {@code linux/arm64}; ARM float ABI from the loaders the image has. */
  public static ImageContext of(ImageFiles files, Platform platform, List<String> env) {
    return of(files, new ParsedElfs(), platform, env);
  }

  /** As above, its ELF files parsed once with the other steps of a build that share {@code parsed}. */
  public static ImageContext of(ImageFiles files, ParsedElfs parsed, Platform platform, List<String> env) {
    Platform p = platform.normalized();
    ElfMachine m = ElfMachine.ofOciArchitecture(p.architecture())
        .orElseThrow(() -> new IllegalArgumentException("graft cannot verify binaries for " + p));
    boolean hardFloat = true; // armv7 images (Alpine armv7/armhf, Debian armhf) are hard-float
    if (m == ElfMachine.ARM && !exists(files, "/lib/ld-musl-armhf.so.1") && !exists(files, "/lib/ld-linux-armhf.so.3")
        && (exists(files, "/lib/ld-musl-arm.so.1") || exists(files, "/lib/ld-linux.so.3"))) {
      hardFloat = false;
    }
    int bits = switch (m) {
      case ARM, I386, PPC, MIPS -> 32;
      default -> 64;
    };
    return new ImageContext(files, new ElfCache(files, parsed), p, new ProcessIdentity(m, bits, hardFloat), env);
  }

  static boolean exists(ImageFiles files, String path) {
    return ImagePaths.resolve(files, path).map(r -> r.entry().isFile()).orElse(false);
  }

  /** Which libcs' loaders the image has for its platform. */
  public Set<Libc> libcs() {
    Set<Libc> out = EnumSet.noneOf(Libc.class);
    for (Libc l : Libc.values()) {
      if (exists(files, l.interpreter(identity.machine(), identity.armHardFloat()))) {
        out.add(l);
      }
    }
    return out;
  }

  public List<String> ldLibraryPath() {
    List<String> out = new ArrayList<>();
    envValue("LD_LIBRARY_PATH").ifPresent(v -> {
      for (String d : v.split(":")) {
        if (!d.isEmpty()) {
          out.add(d);
        }
      }
    });
    return out;
  }

  public Optional<String> envValue(String name) {
    Optional<String> out = Optional.empty();
    for (String e : env) { // the last definition wins, as in a process environment built in order
      if (e.startsWith(name + "=")) {
        out = Optional.of(e.substring(name.length() + 1));
      }
    }
    return out;
  }

  public LoaderRules loader(Libc libc) {
    return libc == Libc.MUSL ? new MuslLoader(files, identity, ldLibraryPath())
        : GlibcLoader.of(files, identity, ldLibraryPath());
  }
}
