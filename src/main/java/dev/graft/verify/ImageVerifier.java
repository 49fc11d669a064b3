package dev.graft.verify;

import dev.graft.oci.ImageConfig;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.image.ResolvedPath;
import dev.graft.verify.loader.Closure;
import dev.graft.verify.loader.HostProgram;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.node.NodeGypBuild;
import dev.graft.verify.node.NodeModules;
import dev.graft.verify.node.NodeRuntime;
import dev.graft.verify.node.NpmPackage;
import dev.graft.verify.node.NpmPlatform;
import dev.graft.verify.node.Prebuilds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * All static checks for one image and platform: the entrypoint, the node binary and every Node
 * addon that would be loaded (per platform and per node-gyp-build's choice), plus npm platform
 * packages. Pure: reads the image through {@link ImageFiles}, returns a {@link Report}.
 */
public final class ImageVerifier {
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> SKIP_DIRS = List.of("/proc", "/sys", "/dev");
  private static final int MAX_WALK_DEPTH = 12;

  private ImageVerifier() {}

  /** What the image runs: the config's Entrypoint followed by Cmd (empty when it says neither). */
  public static List<String> command(ImageConfig config) {
    List<String> command = new ArrayList<>();
    if (config.entrypoint() != null) {
      command.addAll(config.entrypoint());
    }
    if (config.cmd() != null) {
      command.addAll(config.cmd());
    }
    return command;
  }

  /** @param command the image config's Entrypoint followed by Cmd (may be empty) */
  public static Report verify(ImageContext ctx, List<String> command, String subject) {
    List<Finding> findings = new ArrayList<>();
    Set<String> roots = new LinkedHashSet<>();
    if (!command.isEmpty()) {
      Optional<String> exe = which(ctx, command.get(0));
      if (exe.isEmpty()) {
        findings.add(new Finding(Severity.ERROR, "ENTRYPOINT_MISSING", command.get(0),
            "the entrypoint " + command.get(0) + " is not in the image (PATH " + path(ctx) + ")",
            "add it to the image, or fix Entrypoint/Cmd"));
      } else if (ctx.elfs().isElf(ImagePaths.resolve(ctx.files(), exe.get()).orElseThrow().path())) {
        roots.add(exe.get());
      } else {
        shebang(ctx, exe.get()).ifPresent(findings::add);
      }
    }
    Optional<String> nodePath = which(ctx, "node");
    Optional<NodeRuntime> node = nodePath.flatMap(p -> NodeRuntime.detect(ctx, p));
    nodePath.ifPresent(roots::add);
    // addons run inside node's process: judged by node's loader when node starts at all
    Optional<HostProgram> host = nodePath.flatMap(p -> HostProgram.of(ctx, p));

    List<String> nodeModules = new ArrayList<>();
    findNodeModules(ctx, "/", 0, nodeModules);
    NpmPlatform platform = NpmPlatform.of(ctx, host.map(HostProgram::libc));
    int abi = node.map(NodeRuntime::moduleVersion).orElse(-1);
    NodeGypBuild target = NodeGypBuild.of(ctx, platform, nodePath.orElse(null), abi);
    Map<String, Optional<Prebuilds>> addons = new LinkedHashMap<>();
    int packageCount = 0;
    for (String dir : nodeModules) {
      List<NpmPackage> packages = NodeModules.packages(ctx.files(), dir);
      packageCount += packages.size();
      findings.addAll(NpmChecks.check(ctx, packages, platform, target));
      for (String addon : Closure.addonsUnder(ctx, dir)) {
        if (loadedOnThisPlatform(ctx, addon, platform, target)) {
          addons.put(addon, chosenBy(ctx, addon, target));
        }
      }
    }
    for (String root : roots) {
      findings.addAll(ElfChecks.check(ctx, root));
    }
    addons.forEach((addon, chosenBy) -> {
      List<Finding> f = host.isPresent() ? AddonLoadCheck.check(ctx, host.get(), addon, chosenBy)
          : ElfChecks.check(ctx, addon);
      // ABI only matters for an addon that loads at all; an addon for another Node ABI misses that
      // node's V8 symbols, which its NODE_ABI error explains better than a list of symbols, as
      // NODE_API_MISSING / NODE_API_VERSION explain the Node-API functions that node lacks
      List<Finding> abiFindings = node.isPresent() && f.stream().noneMatch(x -> x.severity() == Severity.ERROR)
          ? NodeAbiCheck.check(ctx, node.get(), addon) : List.of();
      boolean explained = abiFindings.stream().anyMatch(x -> x.severity() == Severity.ERROR
          && (x.code().equals("NODE_ABI") || x.code().startsWith("NODE_API_")));
      f.stream().filter(x -> !(explained && x.code().equals("SYMBOL_MISSING"))).forEach(findings::add);
      findings.addAll(abiFindings);
    });
    List<String> checked = new ArrayList<>();
    if (!command.isEmpty()) {
      checked.add("the entrypoint " + command.get(0));
    }
    node.ifPresentOrElse(n -> checked.add("node v" + n.version() + " at " + n.path()),
        () -> nodePath.ifPresent(p -> checked.add("node at " + p)));
    checked.add(Report.count(addons.size(), "native addon"));
    checked.add(Report.count(packageCount, "npm package"));
    return new Report(subject, findings, checked);
  }

  /**
   * Whether Node would ever load this addon here: of a {@code prebuilds/} folder only the file
   * node-gyp-build picks; elsewhere not files under a folder named for another os or cpu
   * (onnxruntime's {@code bin/napi-v6/linux/arm64/}), nor packages whose os/cpu/libc exclude this platform.
   */
  static boolean loadedOnThisPlatform(ImageContext ctx, String addon, NpmPlatform platform, NodeGypBuild target) {
    Optional<NpmPackage> pkg = NpmPackage.owning(ctx.files(), addon);
    if (pkg.isPresent() && !(NpmPlatform.allows(pkg.get().os(), platform.os())
        && NpmPlatform.allows(pkg.get().cpu(), platform.cpu())
        && NpmPlatform.allows(pkg.get().libc(), platform.libc().displayName()))) {
      return false; // a package for another platform: reported by NpmChecks, never required here
    }
    String base = pkg.map(NpmPackage::dir).orElse(ImagePaths.parent(addon));
    String rel = addon.substring(Math.min(addon.length(), base.length() + 1));
    if (rel.startsWith("prebuilds/") && pkg.isPresent()) {
      return chosenBy(ctx, addon, target).isPresent();
    }
    List<String> segments = ImagePaths.components(rel);
    for (String seg : segments.subList(0, Math.max(0, segments.size() - 1))) {
      for (String word : seg.split("[-_.]")) {
        if (platform.namesOtherPlatform(word)) {
          return false;
        }
      }
    }
    return true;
  }

  /** node-gyp-build's choice, when the addon is what it picks from its package's prebuilds/. */
  static Optional<Prebuilds> chosenBy(ImageContext ctx, String addon, NodeGypBuild target) {
    return NpmPackage.owning(ctx.files(), addon)
        .filter(pkg -> addon.startsWith(ImagePaths.join(pkg.dir(), "prebuilds") + "/"))
        .flatMap(pkg -> Prebuilds.of(ctx.files(), pkg, target))
        .filter(pb -> pb.loaded().filter(addon::equals).isPresent());
  }

  private static void findNodeModules(ImageContext ctx, String dir, int depth, List<String> out) {
    if (depth > MAX_WALK_DEPTH || SKIP_DIRS.contains(dir)) {
      return;
    }
    for (String name : ctx.files().list(dir)) {
      String p = ImagePaths.join(dir, name);
      if (!ctx.files().lstat(p).map(ImageFiles.Entry::isDirectory).orElse(false)) {
        continue;
      }
      if (name.equals("node_modules")) {
        out.add(p); // nested node_modules are walked by NodeModules.packages
      } else {
        findNodeModules(ctx, p, depth + 1, out);
      }
    }
  }

  /** A script entrypoint whose {@code #!} interpreter (or the program {@code env} runs) is missing. */
  static Optional<Finding> shebang(ImageContext ctx, String script) {
    String line;
    try (java.io.InputStream in = ctx.files().open(ImagePaths.resolve(ctx.files(), script).orElseThrow().path())) {
      byte[] head = in.readNBytes(256);
      String text = new String(head, java.nio.charset.StandardCharsets.UTF_8);
      if (!text.startsWith("#!")) {
        return Optional.empty();
      }
      int nl = text.indexOf('\n');
      line = (nl < 0 ? text.substring(2) : text.substring(2, nl)).trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String[] words = line.split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return Optional.empty();
    }
    String interpreter = words[0];
    if (which(ctx, interpreter).isEmpty()) {
      return Optional.of(new Finding(Severity.ERROR, "SCRIPT_INTERPRETER_MISSING", script,
          script + " starts with #!" + line + ", but " + interpreter + " is not in the image: starting it fails"
              + " with 'no such file or directory'",
          "install " + ImagePaths.fileName(interpreter) + " in the image, or change the #! line to a shell it has"
              + " (/bin/sh)"));
    }
    if (ImagePaths.fileName(interpreter).equals("env") && words.length > 1 && !words[1].startsWith("-")
        && which(ctx, words[1]).isEmpty()) {
      return Optional.of(new Finding(Severity.ERROR, "SCRIPT_INTERPRETER_MISSING", script,
          script + " starts with #!" + line + ", but " + words[1] + " is not on the image's PATH (" + path(ctx)
              + "): env fails with 'No such file or directory'",
          "install " + words[1] + " in the image or set PATH in the image config"));
    }
    return Optional.empty();
  }

  static String path(ImageContext ctx) {
    return ctx.envValue("PATH").orElse(DEFAULT_PATH);
  }

  /** A command name looked up like execvp does, in the image's PATH; absolute names as they are. */
  static Optional<String> which(ImageContext ctx, String command) {
    if (command.contains("/")) {
      return ImagePaths.resolve(ctx.files(), ImagePaths.join("/", command)).filter(r -> r.entry().isFile())
          .map(r -> ImagePaths.join("/", command));
    }
    for (String dir : path(ctx).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      String candidate = ImagePaths.join(dir, command);
      Optional<ResolvedPath> r = ImagePaths.resolve(ctx.files(), candidate);
      if (r.isPresent() && r.get().entry().isFile() && (r.get().entry().mode() & 0111) != 0) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
