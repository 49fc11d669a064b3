package dev.graft.verify;

import dev.graft.elf.ElfFile;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.loader.HostProgram;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.Libc;
import dev.graft.verify.loader.LoaderResolution;
import dev.graft.verify.node.NpmPackage;
import dev.graft.verify.node.Prebuilds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An addon as node really loads it: {@code dlopen()} inside node's process, so node's loader (its
 * libc's rules, its LD_LIBRARY_PATH, the objects node already mapped) decides, not the addon's own
 * libc. An addon of the other libc (bcrypt.musl.node under a glibc node on Alpine, where
 * node-gyp-build picks musl builds) is LIBC_MISMATCH: a warning when the loader still finds
 * everything (it works by accident), an error naming what it cannot find otherwise.
 */
public final class AddonLoadCheck {
  private AddonLoadCheck() {}

  /**
   * @param chosenBy node-gyp-build's choice, when it is what picked this addon (for the fix)
   */
  public static List<Finding> check(ImageContext ctx, HostProgram host, String addonPath, Optional<Prebuilds> chosenBy) {
    List<Finding> out = new ArrayList<>();
    ElfFile elf = ElfChecks.loadable(ctx, addonPath, out);
    if (elf == null) {
      return out;
    }
    String owner = ElfChecks.ownerText(ctx, ImagePaths.resolve(ctx.files(), addonPath).orElseThrow().path());
    LoaderResolution r = host.dlopen(ctx.elfs(), addonPath);
    List<Finding> load = new ArrayList<>();
    ElfChecks.loaderFindings(ctx, addonPath, owner, elf, r, load);
    Optional<Libc> own = Libc.of(elf);
    if (own.isEmpty() || own.get() == host.libc()) {
      out.addAll(load);
      return out;
    }
    String hostLibc = host.libc().displayName();
    String head = addonPath + owner + " is built for " + own.get().displayName() + ", but node (" + host.path()
        + ") is a " + hostLibc + " program that loads it with " + hostLibc + "'s loader"
        + chosenBy.map(pb -> "; node-gyp-build picks it because " + pb.target().libcReason()).orElse("");
    String fix = fix(ctx, own.get(), host.libc(), addonPath, chosenBy);
    Optional<Finding> fatal = load.stream().filter(f -> f.severity() == Severity.ERROR).findFirst();
    if (fatal.isPresent()) {
      out.add(new Finding(Severity.ERROR, "LIBC_MISMATCH", addonPath,
          head + ", and that loader cannot load it: " + fatal.get().message(), fix));
      load.remove(fatal.get());
    } else {
      List<String> otherLibc = r.own().stream().skip(1).filter(o -> isLibc(o.requestedAs()))
          .map(o -> o.path() + (o.path().equals(o.realPath()) ? "" : " → " + o.realPath())).toList();
      String with = otherLibc.isEmpty() ? "it resolves its C library names to " + hostLibc + " itself"
          : "it maps " + String.join(", ", otherLibc) + " beside " + hostLibc;
      out.add(new Finding(Severity.WARNING, "LIBC_MISMATCH", addonPath,
          head + ". It loads all the same (" + with + ", and every library and symbol it needs resolves):"
              + " it works by accident, with two C libraries in one process", fix));
    }
    out.addAll(load);
    return out;
  }

  /** A NEEDED name that means a C library itself. */
  private static boolean isLibc(String name) {
    return name.startsWith("libc.musl-") || name.equals("libc.so") || name.equals("libc.so.6");
  }

  private static String fix(ImageContext ctx, Libc own, Libc host, String addonPath, Optional<Prebuilds> chosenBy) {
    String otherNode = own == Libc.MUSL ? "run a musl node instead (from an Alpine builder image, e.g. node:20-alpine)"
        : "run a glibc node instead (from a Debian-based builder image, e.g. node:20-bookworm-slim)";
    if (chosenBy.isPresent()) {
      Prebuilds pb = chosenBy.get();
      Optional<String> alternative = NpmPackage.read(ctx.files(), pb.pkgDir())
          .flatMap(pkg -> Prebuilds.of(ctx.files(), pkg, pb.target().withLibc(host.displayName())))
          .flatMap(Prebuilds::loaded).filter(a -> !a.equals(addonPath));
      return "set LIBC=" + host.displayName() + " in the image's environment (graft.yaml: config.env)"
          + alternative.map(a -> " so node-gyp-build picks " + a).orElse("") + ", or " + otherNode;
    }
    String pkg = NpmPackage.owning(ctx.files(), addonPath).map(NpmPackage::name).orElse("the package");
    return "install the " + host.displayName() + " build of " + pkg + ", or " + otherNode;
  }
}
