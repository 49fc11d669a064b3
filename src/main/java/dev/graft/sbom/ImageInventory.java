package dev.graft.sbom;

import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.loader.ImageContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an image holds, read from its merged filesystem: the distribution and its packages, the npm
 * packages of every node_modules (each with the layer it came in), and the grafted ELF files with
 * who loads what. Pure data; {@link CycloneDxWriter} turns it into a document.
 */
public record ImageInventory(Optional<OsPackages.Distro> distro, List<OsPackage> osPackages,
    List<NpmComponent> npmPackages, Map<String, Integer> npmLayers, List<BinaryComponent> binaries) {
  public ImageInventory {
    osPackages = List.copyOf(osPackages);
    npmPackages = List.copyOf(npmPackages);
    npmLayers = Map.copyOf(npmLayers);
    binaries = List.copyOf(binaries);
  }

  public static ImageInventory read(ImageSubject subject, FileTree tree) {
    try (TreeImageFiles files = TreeImageFiles.of(tree)) {
      ImageContext ctx = ImageContext.of(files, subject.platform(), subject.env());
      Set<Integer> grafted = subject.layers().stream().filter(l -> !l.fromBase()).map(LayerOrigin::index)
          .collect(Collectors.toSet());
      Map<String, Integer> layerOf = new HashMap<>();
      List<String> packageJsons;
      try (Stream<TreeEntry> all = tree.walk("/")) {
        packageJsons = all.filter(n -> n.metadata().isRegular() && n.name().equals("package.json")
            && n.path().contains("/node_modules/")).peek(n -> layerOf.put(n.path(), n.content().layer()))
            .map(TreeEntry::path).toList();
      }
      List<NpmComponent> npm = NpmPackages.read(files, packageJsons);
      Map<String, Integer> npmLayers = new HashMap<>();
      npm.forEach(p -> npmLayers.put(p.path(), layerOf.get(p.path() + "/package.json")));
      return new ImageInventory(OsPackages.distro(files), OsPackages.read(files), npm, npmLayers,
          GraftedBinaries.find(tree, ctx, grafted));
    }
  }
}
