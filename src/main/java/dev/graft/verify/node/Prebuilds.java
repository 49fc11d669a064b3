package dev.graft.verify.node;

import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.ImagePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The addon node-gyp-build loads for one package, by its own rules: {@code build/Release} (then
 * {@code build/Debug}) first unless {@code PREBUILDS_ONLY}; otherwise, with node-gyp-build 4.x, the
 * {@code prebuilds/<platform>-<arch>[+<arch>…]} folder for this platform (single-arch folders first),
 * and in it the file whose dot-separated tags ({@code node}/{@code electron}, {@code napi},
 * {@code abi<N>}, {@code uv<N>}, {@code armv<N>}, {@code glibc}/{@code musl}) all fit, preferring
 * the runtime named, then an ABI-specific build over N-API, then the most tags; then the same next to
 * node's executable. With node-gyp-build 3.x (which a package may pin): folders
 * {@code <platform>-<arch>}, {@code <platform><libc>-<arch>} and their {@code -v<armv>} variants, most
 * specific first, each tried for {@code node-<abi>.node}, then {@code node-napi.node}.
 *
 * @param pkgDir the package directory ({@code <NAME>_PREBUILD} may point node-gyp-build elsewhere)
 * @param target node-gyp-build's view of the platform
 * @param loaded the file node-gyp-build returns; empty: it throws "No native build was found"
 * @param candidates the prebuilds that fit, the chosen one first
 * @param available every folder under {@code prebuilds/} (for messages)
 */
public record Prebuilds(String pkgDir, NodeGypBuild target, Optional<String> loaded, List<String> candidates,
    List<String> available) {
  private static final Pattern RANGE = Pattern.compile("^\\s*(<=?|>=?|[~^=v])?\\s*v?(\\d+)(?:\\.(\\d+|x|\\*))?");

  public Prebuilds {
    Objects.requireNonNull(pkgDir, "pkgDir");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(loaded, "loaded");
    candidates = List.copyOf(candidates);
    available = List.copyOf(available);
  }

  /** Empty when the package ships no {@code prebuilds/} folder (node-gyp-build plays no part then). */
  public static Optional<Prebuilds> of(ImageFiles files, NpmPackage pkg, NodeGypBuild t) {
    String dir = pkg.dir();
    String override = pkg.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PREBUILD";
    Optional<String> redirected = t.env(override);
    if (redirected.isPresent() && redirected.get().startsWith("/")) { // a relative one depends on the cwd
      dir = redirected.get();
    }
    String root = ImagePaths.join(dir, "prebuilds");
    if (!isDir(files, root)) {
      return Optional.empty();
    }
    List<String> available = files.list(root);
    if (available.stream().noneMatch(a -> isDir(files, ImagePaths.join(root, a)))) {
      // node-gyp-build only looks in prebuilds/<platform>-<arch>/ folders; single files such as
      // better-sqlite3 13's prebuilds/linux-x64.node are loaded by the package's own code
      return Optional.empty();
    }
    if (!t.prebuildsOnly()) {
      for (String build : List.of("build/Release", "build/Debug")) {
        Optional<String> first = files.list(ImagePaths.join(dir, build)).stream().filter(f -> f.endsWith(".node"))
            .findFirst();
        if (first.isPresent()) {
          return Optional.of(new Prebuilds(pkg.dir(), t, Optional.of(ImagePaths.join(dir, build + "/" + first.get())),
              List.of(), available));
        }
      }
    }
    List<String> candidates = loaderMajor(files, pkg) < 4 ? v3(files, root, t) : v4(files, root, t);
    if (candidates.isEmpty() && loaderMajor(files, pkg) >= 4 && t.execDir() != null) {
      candidates = v4(files, ImagePaths.join(t.execDir(), "prebuilds"), t); // "nearby": pkg-style bundles
    }
    return Optional.of(new Prebuilds(pkg.dir(), t, candidates.stream().findFirst(), candidates, available));
  }

  /**
   * The major version of node-gyp-build the package loads with: from its declared range (a real
   * install satisfies it), else from the copy Node would resolve, else 4.
   */
  static int loaderMajor(ImageFiles files, NpmPackage pkg) {
    String range = pkg.dependencies().getOrDefault("node-gyp-build", pkg.optionalDependencies().get("node-gyp-build"));
    if (range != null) {
      Matcher m = RANGE.matcher(range);
      if (m.find() && (m.group(1) == null || !m.group(1).startsWith(">"))) {
        int major = Integer.parseInt(m.group(2));
        boolean zeroMinor = m.group(3) == null || m.group(3).equals("0");
        return "<".equals(m.group(1)) && zeroMinor ? major - 1 : major;
      }
    }
    return NodeModules.resolve(files, pkg.dir(), "node-gyp-build").map(NpmPackage::version)
        .filter(v -> v.matches("\\d+\\..*")).map(v -> Integer.parseInt(v.substring(0, v.indexOf('.')))).orElse(4);
  }

  private static List<String> v4(ImageFiles files, String root, NodeGypBuild t) {
    String tuple = null;
    int tupleArches = Integer.MAX_VALUE;
    for (String name : files.list(root)) { // the first of the fewest architectures wins (a stable sort)
      String[] parts = name.split("-", -1);
      if (parts.length != 2 || parts[0].isEmpty() || !parts[0].equals(t.platform())) {
        continue;
      }
      List<String> arches = List.of(parts[1].split("\\+", -1));
      if (arches.stream().anyMatch(String::isEmpty) || !arches.contains(t.arch())) {
        continue;
      }
      if (arches.size() < tupleArches) {
        tuple = name;
        tupleArches = arches.size();
      }
    }
    if (tuple == null) {
      return List.of();
    }
    String dir = ImagePaths.join(root, tuple);
    List<Tags> fit = new ArrayList<>();
    for (String f : files.list(dir)) {
      Tags tags = Tags.parse(f);
      if (tags != null && tags.fits(t)) {
        fit.add(tags);
      }
    }
    // an insertion sort: stable like V8's, and it tolerates node-gyp-build's comparator
    for (int i = 1; i < fit.size(); i++) {
      for (int j = i; j > 0 && Tags.compare(fit.get(j), fit.get(j - 1)) < 0; j--) {
        fit.set(j, fit.set(j - 1, fit.get(j)));
      }
    }
    return fit.stream().map(x -> ImagePaths.join(dir, x.file())).toList();
  }

  private static List<String> v3(ImageFiles files, String root, NodeGypBuild t) {
    List<String> names = new ArrayList<>(List.of(t.platform() + "-" + t.arch(), t.platform() + t.libc() + "-" + t.arch()));
    if ((t.arch().equals("arm") || t.arch().equals("arm64")) && !t.armv().isEmpty()) {
      names.add(names.get(0) + "-v" + t.armv());
      names.add(names.get(1) + "-v" + t.armv());
    }
    List<String> out = new ArrayList<>();
    for (int i = names.size() - 1; i >= 0; i--) {
      String dir = ImagePaths.join(root, names.get(i));
      List<String> present = files.list(dir);
      for (String want : List.of("node-" + t.abi() + ".node", "node-napi.node")) {
        if (!t.abi().isEmpty() || want.equals("node-napi.node")) {
          if (present.contains(want)) {
            out.add(ImagePaths.join(dir, want));
          }
        }
      }
    }
    return out;
  }

  private static boolean isDir(ImageFiles files, String path) {
    return ImagePaths.resolve(files, path).map(r -> r.entry().isDirectory()).orElse(false);
  }

  /** node-gyp-build 4.x's parseTags. */
  private record Tags(String file, String runtime, boolean napi, String abi, String uv, String armv, String libc,
      int specificity) {
    static Tags parse(String file) {
      String[] arr = file.split("\\.", -1);
      if (!arr[arr.length - 1].equals("node")) {
        return null;
      }
      String runtime = null;
      String abi = null;
      String uv = null;
      String armv = null;
      String libc = null;
      boolean napi = false;
      int specificity = 0;
      for (int i = 0; i < arr.length - 1; i++) {
        String tag = arr[i];
        if (tag.equals("node") || tag.equals("electron") || tag.equals("node-webkit")) {
          runtime = tag;
        } else if (tag.equals("napi")) {
          napi = true;
        } else if (tag.startsWith("abi")) {
          abi = truthy(tag.substring(3));
        } else if (tag.startsWith("uv")) {
          uv = truthy(tag.substring(2));
        } else if (tag.startsWith("armv")) {
          armv = truthy(tag.substring(4));
        } else if (tag.equals("glibc") || tag.equals("musl")) {
          libc = tag;
        } else {
          continue;
        }
        specificity++;
      }
      return new Tags(file, runtime, napi, abi, uv, armv, libc, specificity);
    }

    /** JavaScript treats an empty tag value ("abi" alone) as absent. */
    private static String truthy(String v) {
      return v.isEmpty() ? null : v;
    }

    boolean fits(NodeGypBuild t) {
      boolean runtimeAgnostic = "node".equals(runtime) && napi;
      return !(runtime != null && !runtime.equals("node") && !runtimeAgnostic)
          && !(abi != null && !abi.equals(t.abi()) && !napi)
          && !(uv != null && !uv.equals(t.uv()))
          && !(armv != null && !armv.equals(t.armv()))
          && !(libc != null && !libc.equals(t.libc()));
    }

    /** compareTags("node"): the runtime named first, then ABI-specific over N-API, then more tags. */
    static int compare(Tags a, Tags b) {
      if (!Objects.equals(a.runtime, b.runtime)) {
        return "node".equals(a.runtime) ? -1 : 1;
      } else if (!Objects.equals(a.abi, b.abi)) {
        return a.abi != null ? -1 : 1;
      } else if (a.specificity != b.specificity) {
        return a.specificity > b.specificity ? -1 : 1;
      }
      return 0;
    }
  }
}
