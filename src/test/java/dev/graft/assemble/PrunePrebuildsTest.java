package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune: platform} on a local directory's node_modules, as a filter over the directory's
 * selection: builds for another os or cpu go; the other libc's go when the node the image runs is
 * found in a layer before this one or the base, judged by its real ELF loader (a glibc program of
 * this host, Alpine's musl busybox); emptied folders go too.
 */
class PrunePrebuildsTest {
  @TempDir
  static Path images;

  private static final String MODS = "- { name: mods, from: ./mods, to: /srv, prune: platform }\n";

  private static List<String> prunedLayer(Path tmp, String layersBefore) throws Exception {
    Path dir = tmp.resolve("project");
    Path x = dir.resolve("mods/node_modules/x");
    for (String f : List.of("prebuilds/linux-x64/x.glibc.node", "prebuilds/linux-x64/x.musl.node",
        "prebuilds/darwin-arm64/x.node", "index.js")) {
      Files.createDirectories(x.resolve(f).getParent());
      Files.writeString(x.resolve(f), f);
    }
    Files.createDirectories(dir.resolve("node"));
    // a real glibc program (PT_INTERP /lib64/ld-linux-x86-64.so.2) standing in for node
    Files.copy(Path.of("/usr/bin/true"), dir.resolve("node/node"), StandardCopyOption.COPY_ATTRIBUTES);
    try (PhaseFixture f = PhaseFixture.of(images, dir, tmp.resolve("cache"), Platform.LINUX_AMD64,
        layersBefore + MODS, "entrypoint: [/usr/local/bin/node]")) {
      List<SelectedLayer> selected = f.select(f.sources(f.resolve()), f.writes());
      SelectedLayer mods = selected.get(selected.size() - 1);
      assertThat(mods.spec().name()).isEqualTo("mods");
      List<String> notes = mods.notes().stream().map(Finding::message).toList();
      List<String> kept = mods.entries().stream().map(LayerEntry::path).filter(p -> p.contains("/prebuilds"))
          .map(p -> p.substring(p.indexOf("/prebuilds")) + (typeOf(mods, p) == EntryType.DIR ? "/" : "")).toList();
      return Stream.concat(kept.stream(), notes.stream()).toList();
    }
  }

  private static EntryType typeOf(SelectedLayer s, String path) {
    return s.entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow().metadata().type();
  }

  @Test
  void aGlibcNodeInAnEarlierLayerLeavesOutMuslAndOtherPlatformsBuilds(@TempDir Path tmp) throws Exception {
    assertThat(prunedLayer(tmp, "- { name: node, from: ./node, to: /usr/local/bin }\n")).containsExactlyInAnyOrder(
        "/prebuilds/", "/prebuilds/linux-x64/", "/prebuilds/linux-x64/x.glibc.node",
        "layer 'mods': prune: platform removed 2 prebuilds for other platforms (60 bytes)");
  }

  @Test
  void aMuslNodeFromTheBaseKeepsTheMuslBuild(@TempDir Path tmp) throws Exception {
    String node = "- { name: node, from: base, paths: [/bin/busybox], to: /usr/local/bin/node }\n";
    assertThat(prunedLayer(tmp, node)).containsExactlyInAnyOrder(
        "/prebuilds/", "/prebuilds/linux-x64/", "/prebuilds/linux-x64/x.musl.node",
        "layer 'mods': prune: platform removed 2 prebuilds for other platforms (61 bytes)");
  }

  @Test
  void withoutANodeBeforeItBothLibcsBuildsStay(@TempDir Path tmp) throws Exception {
    assertThat(prunedLayer(tmp, "")).containsExactlyInAnyOrder(
        "/prebuilds/", "/prebuilds/linux-x64/", "/prebuilds/linux-x64/x.glibc.node",
        "/prebuilds/linux-x64/x.musl.node",
        "layer 'mods': prune: platform removed 1 prebuilds for other platforms (29 bytes)");
  }
}
