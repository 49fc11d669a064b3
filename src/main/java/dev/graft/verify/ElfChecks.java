package dev.graft.verify;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import dev.graft.verify.loader.DynamicLoader;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.Libc;
import dev.graft.verify.loader.LoaderResolution;
import dev.graft.verify.loader.MissingLibrary;
import dev.graft.verify.loader.SymbolCheck;
import dev.graft.verify.loader.SymbolVersionCheck;
import dev.graft.verify.node.NpmPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The static checks for one ELF root (a program or an addon): machine and ABI, libc flavour,
 * interpreter, every NEEDED library, symbol versions. Each failure is the one the loader would
 * report at run time, said before the image is pushed.
 */
public final class ElfChecks {
  private ElfChecks() {}

  public static List<Finding> check(ImageContext ctx, String path) {
    List<Finding> out = new ArrayList<>();
    ElfFile elf = loadable(ctx, path, out);
    if (elf == null) {
      return out;
    }
    String owner = ownerText(ctx, ImagePaths.resolve(ctx.files(), path).orElseThrow().path());

    Set<Libc> imageLibcs = ctx.libcs();
    Optional<Libc> fileLibc = Libc.of(elf);
    if (fileLibc.isPresent() && !imageLibcs.contains(fileLibc.get()) && !imageLibcs.isEmpty()) {
      out.add(libcMismatch(ctx, path, owner, elf, fileLibc.get(), imageLibcs.iterator().next()));
      return out;
    }
    Libc libc = fileLibc.orElse(imageLibcs.isEmpty() ? Libc.GLIBC : imageLibcs.iterator().next());
    LoaderResolution r = DynamicLoader.resolve(ctx.elfs(), ctx.loader(libc), path);

    loaderFindings(ctx, path, owner, elf, r, out);
    return out;
  }

  /**
   * What a loader's resolution means at run time: a missing interpreter or library, symbols no
   * loaded object defines, unmet symbol versions. For an addon dlopen'ed into a program
   * ({@code r.inherited() > 0}) the program's objects count as loaded, and are not judged again.
   */
  static void loaderFindings(ImageContext ctx, String path, String owner, ElfFile elf, LoaderResolution r,
      List<Finding> out) {
    Libc libc = r.rules().libc();
    String loaderOf = r.inherited() > 0 ? " of " + r.loaded().get(0).path() : "";
    if (r.interpreter().isPresent() && !r.interpreterFound()) {
      out.add(new Finding(Severity.ERROR, "INTERPRETER_MISSING", path,
          path + owner + " names the program loader " + r.interpreter().get() + ", which is not in the image;"
              + " starting it fails with 'No such file or directory'" + LookInHints.interpreter(ctx, r.interpreter().get()),
          "add " + libc.displayName() + "'s loader for " + ctx.identity().machine().unameName()
              + " to the image (graft it from the builder with closure: auto)"));
    }
    for (MissingLibrary m : r.missing()) {
      String rejected = m.rejected().isEmpty() ? "" : "; found but unusable: " + String.join("; ", m.rejected());
      out.add(new Finding(Severity.ERROR, "LIBRARY_MISSING", path,
          m.name() + " (needed by " + m.neededBy() + ") is not found; the " + libc.displayName()
              + " loader" + loaderOf + " searched " + String.join(", ", m.searched()) + rejected
              + LookInHints.object(r, m.neededBy()).map(o -> LookInHints.library(ctx, libc, o, m.name(), List.of()))
                  .orElse(""),
          libraryFix(m.name(), libc)));
    }
    if (r.missing().isEmpty()) { // with a library missing, its symbols are missing too: noise
      symbolFindings(ctx, path, elf, r, libc, out);
    }
    for (SymbolVersionCheck.MissingVersion v : SymbolVersionCheck.check(r)) {
      out.add(new Finding(Severity.ERROR, "SYMBOL_VERSION", path,
          v.neededBy() + " needs " + String.join(", ", v.missing()) + " from " + v.library() + ", but "
              + v.libraryPath() + v.newestDefined().map(n -> " defines only up to " + n).orElse(" does not define it")
              + " ('version `" + v.missing().get(v.missing().size() - 1) + "' not found' at run time)"
              + LookInHints.object(r, v.neededBy()).map(o -> LookInHints.library(ctx, libc, o, v.library(), v.missing()))
                  .orElse(""),
          "use a base image whose " + v.library() + " is newer (a newer distribution release), or build "
              + ImagePaths.fileName(v.neededBy()) + " against the base image's libraries"));
    }
  }

  /**
   * The checks before any loader runs: the file exists, is intact ELF, fits the platform. Returns
   * the parsed file when a loader has work to do (null after a finding, or for a static file).
   */
  static ElfFile loadable(ImageContext ctx, String path, List<Finding> out) {
    ResolvedPath rp = ImagePaths.resolve(ctx.files(), path).filter(r -> r.entry().isFile()).orElse(null);
    if (rp == null) {
      out.add(new Finding(Severity.ERROR, "FILE_MISSING", path, path + " does not exist in the image", ""));
      return null;
    }
    ElfFile elf;
    try {
      elf = ctx.elfs().get(rp.path());
    } catch (ElfFormatException e) {
      out.add(new Finding(Severity.ERROR, "ELF_MALFORMED", path, e.getMessage(),
          "replace the file with an intact copy (was it truncated while copying?)"));
      return null;
    }
    String mismatch = ctx.identity().mismatch(elf);
    if (mismatch != null) {
      out.add(new Finding(Severity.ERROR, "ARCH_MISMATCH", path,
          path + ownerText(ctx, rp.path()) + " is " + mismatch + " (" + elf.summary() + "), but the image is "
              + ctx.platform()
              + (elf.interpreter().isPresent() || elf.isStatic()
                  ? ": the kernel refuses to run it ('Exec format error')"
                  : ": the loader refuses to load it ('Exec format error' / 'wrong ELF class')"),
          archFix(ctx)));
      return null;
    }
    return elf.isStatic() ? null : elf; // a static file: nothing for a loader to do
  }

  private static void symbolFindings(ImageContext ctx, String path, ElfFile root, LoaderResolution r, Libc libc,
      List<Finding> out) {
    java.util.Map<String, List<String>> byObject = new java.util.TreeMap<>();
    boolean dlopen = r.inherited() > 0;
    for (SymbolCheck.MissingSymbol m : SymbolCheck.check(ctx.elfs(), r, dlopen ? Set.of() : null)) {
      byObject.computeIfAbsent(m.objectPath(), k -> new ArrayList<>()).add(m.symbol());
    }
    // musl binds every symbol as a program starts; glibc only with BIND_NOW (else at the first
    // call); an addon is dlopen'd lazily by node: both of the latter fail later, not at start
    boolean failsAtStart = r.interpreter().isPresent() && (libc == Libc.MUSL || root.bindNow())
        || dlopen && libc == Libc.GLIBC && root.bindNow(); // glibc's dlopen binds a BIND_NOW addon at once
    byObject.forEach((object, symbols) -> {
      String shown = String.join(", ", symbols.subList(0, Math.min(5, symbols.size())))
          + (symbols.size() > 5 ? " and " + (symbols.size() - 5) + " more" : "");
      String runtime = libc == Libc.MUSL ? "'Error relocating " + object + ": " + symbols.get(0) + ": symbol not found'"
          : "'symbol lookup error: " + object + ": undefined symbol: " + symbols.get(0) + "'";
      out.add(new Finding(failsAtStart ? Severity.ERROR : Severity.WARNING, "SYMBOL_MISSING", path,
          object + " uses " + shown + ", which no library it loads defines: " + runtime
              + LookInHints.object(r, object).map(o -> LookInHints.symbols(ctx, r, o, symbols)).orElse(""),
          "it was built against newer libraries than the image has: use a base image with a newer "
              + libc.displayName() + (libc == Libc.MUSL ? " (e.g. Alpine 3.18+ ships musl 1.2.4)" : "")
              + " and libraries, or a build made for this one"));
    });
  }

  static String ownerText(ImageContext ctx, String realPath) {
    return NpmPackage.owning(ctx.files(), realPath).map(p -> " (npm package " + p.id() + ")").orElse("");
  }

  static String archFix(ImageContext ctx) {
    String npmCpu = switch (ctx.identity().machine()) {
      case X86_64 -> "x64";
      case AARCH64 -> "arm64";
      case ARM -> "arm";
      case I386 -> "ia32";
      default -> ctx.identity().machine().ociArchitecture();
    };
    return "install dependencies for " + ctx.platform() + ", not for the build machine: run npm ci in a builder image of"
        + " that platform, or npm install --os=linux --cpu=" + npmCpu
        + " (npm 10+) so the matching platform package is installed";
  }

  private static Finding libcMismatch(ImageContext ctx, String path, String owner, ElfFile elf, Libc file, Libc image) {
    String what = elf.interpreter().isPresent() ? "its loader " + elf.interpreter().get() + " does not exist, so starting it"
        + " fails with 'No such file or directory'"
        : file == Libc.GLIBC ? "loading it fails with 'symbol not found' errors"
        : "loading it fails with 'Error loading shared library " + elf.needed().stream()
            .filter(n -> n.startsWith("libc.musl")).findFirst().orElse("libc.musl") + "'";
    String imageDesc = image == Libc.MUSL ? "musl (an Alpine-style image)" : "glibc (a Debian/Ubuntu-style image)";
    String fix = file == Libc.GLIBC
        ? "use a musl build instead (npm: the *-linux-musl / linuxmusl package; node: from an Alpine builder image),"
            + " or base the image on a glibc distribution (e.g. debian:bookworm-slim)"
        : "use a glibc build instead (npm: the *-linux-gnu / linux package), or base the image on Alpine";
    return new Finding(Severity.ERROR, "LIBC_MISMATCH", path,
        path + owner + " is built for " + file.displayName() + ", but the image only has " + imageDesc + ": " + what,
        fix);
  }

  static String libraryFix(String name, Libc libc) {
    String pkg = null;
    if (name.startsWith("libstdc++.so")) {
      pkg = libc == Libc.MUSL ? "apk add libstdc++" : "apt-get install libstdc++6";
    } else if (name.startsWith("libgcc_s.so")) {
      pkg = libc == Libc.MUSL ? "apk add libgcc" : "apt-get install libgcc-s1";
    }
    return (pkg != null ? pkg + " in the base image, or " : "") + "graft " + name
        + " from the builder image (closure: auto), or add its directory to LD_LIBRARY_PATH / RUNPATH";
  }

}
