package dev.graft.verify;

import dev.graft.elf.ElfFile;
import dev.graft.elf.NodeSymbols;
import dev.graft.verify.image.ImagePaths;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.node.NodeRuntime;
import dev.graft.verify.node.NpmPackage;
import java.util.ArrayList;
import java.util.List;

/**
 * Node addons against the image's node: an ABI-specific addon must match NODE_MODULE_VERSION
 * exactly; a Node-API addon must import only functions this node exports (a newer Node-API
 * function is 'undefined symbol' at require time).
 */
public final class NodeAbiCheck {
  private NodeAbiCheck() {}

  public static List<Finding> check(ImageContext ctx, NodeRuntime node, String addonPath) {
    List<Finding> out = new ArrayList<>();
    String real = ImagePaths.resolve(ctx.files(), addonPath).orElseThrow().path();
    ElfFile elf = ctx.elfs().get(real);
    NodeSymbols s = elf.nodeSymbols();
    String owner = NpmPackage.owning(ctx.files(), real).map(p -> " (npm package " + p.id() + ")").orElse("");
    String nodeText = "the image's node v" + node.version() + " (" + node.path() + ")";
    if (s.isAbiSpecific()) {
      int want = s.nodeModuleVersion();
      if (want < 0 || node.moduleVersion() < 0) {
        out.add(new Finding(Severity.WARNING, "NODE_ABI_UNKNOWN", addonPath,
            addonPath + owner + " is compiled for one Node ABI, and graft cannot tell whether it is " + nodeText + "'s",
            "prefer a Node-API build of the package; otherwise rebuild it with the image's node (npm rebuild)"));
      } else if (want != node.moduleVersion()) {
        out.add(new Finding(Severity.ERROR, "NODE_ABI", addonPath,
            addonPath + owner + " is compiled for NODE_MODULE_VERSION " + want + " (" + NodeRuntime.nodeLineOf(want)
                + "), but " + nodeText + " has NODE_MODULE_VERSION " + node.moduleVersion()
                + ": require() fails with 'was compiled against a different Node.js version'",
            "rebuild it for Node " + node.major() + " (npm rebuild in a builder image with the same node), use the"
                + " package's prebuild for NODE_MODULE_VERSION " + node.moduleVersion()
                + ", or a Node-API version of the package"));
      }
      return out;
    }
    List<String> missing = s.importsNodeApi() && !node.exportedNodeApi().isEmpty()
        ? s.importedNodeApi().stream().filter(f -> !node.exportedNodeApi().contains(f)).toList() : List.of();
    int declared = s.declaredNodeApiVersion();
    int supported = node.nodeApiVersion();
    // NAPI_VERSION_EXPERIMENTAL (INT_MAX) is accepted by every node that reads the declared version
    if (declared > 0 && declared != Integer.MAX_VALUE && supported > 0 && declared > supported
        && node.readsDeclaredNodeApiVersion(ctx.files())) {
      // Measured: Node 20.20 and 22.23 both crash (SIGSEGV) in that check's error path, whether or
      // not the addon calls a function they lack.
      out.add(new Finding(Severity.ERROR, "NODE_API_VERSION", addonPath,
          addonPath + owner + " declares Node-API version " + declared + " (" + NodeSymbols.GET_API_VERSION
              + "), but " + nodeText + " supports Node-API " + supported + ": node checks that while loading"
              + " the addon, and require() fails (Node 20 and 22 crash with a segmentation fault)"
              + (missing.isEmpty() ? "" : "; it also calls " + String.join(", ", missing) + ", which that node lacks"),
          "use a Node.js with Node-API " + declared + " in the image, or a build of the package made for Node-API "
              + supported + " (NAPI_VERSION=" + supported + ")"));
    } else if (!missing.isEmpty()) {
      out.add(new Finding(Severity.ERROR, "NODE_API_MISSING", addonPath,
          addonPath + owner + " calls " + String.join(", ", missing) + ", which " + nodeText
              + " does not provide: node binds addon functions lazily, so the process dies with"
              + " 'symbol lookup error: ... undefined symbol: " + missing.get(0) + "' when the addon first calls it",
          "use a newer Node.js in the image, or a version of the package built for Node " + node.major()));
    }
    return out;
  }
}
