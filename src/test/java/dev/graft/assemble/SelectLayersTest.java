package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.oci.Platform;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase "select" on real images (the Alpine 3.18 minirootfs as builder, 3.16 as base) and a real
 * local directory: the order sources are asked in, the layers handed to the writers, a remembered
 * selection on a rebuild, and how failures read.
 */
class SelectLayersTest {
  @TempDir
  static Path images;

  private static final String LAYERS = """
      - { name: apk, from: builder, paths: [/sbin/apk], conflicts: builder }
      - { name: app, from: ./app, to: /app }
      - { name: release, from: base, paths: [/etc/alpine-release], to: /app/base-release }
      - { name: none, from: base, paths: [{path: /no/such/file, optional: true}] }
      """;

  private static PhaseFixture project(Path tmp, Path cache, String layers) throws Exception {
    Path dir = tmp.resolve("project");
    Files.createDirectories(dir.resolve("app/lib"));
    Files.writeString(dir.resolve("app/main.sh"), "#!/bin/sh\nexec /sbin/apk --version\n");
    Files.writeString(dir.resolve("app/lib/data.txt"), "data\n");
    return PhaseFixture.of(images, dir, cache, Platform.LINUX_AMD64, layers, "entrypoint: [/sbin/apk]");
  }

  private static List<String> files(SelectedLayer s) {
    return s.entries().stream().filter(e -> e.metadata().type() == EntryType.FILE).map(LayerEntry::path).toList();
  }

  @Test
  void localDirectoriesAreSelectedFirstAndEachLayerIsHandedOnAsItIsSelected(@TempDir Path tmp) throws Exception {
    try (PhaseFixture f = project(tmp, tmp.resolve("cache"), LAYERS)) {
      List<String> handed = new ArrayList<>();
      WriteLayers writes = f.writes();
      List<SelectedLayer> selected = new SelectLayers(f.pp.layers(), f.sources(f.resolve()), f.layers, f::options,
          f.steps).run(s -> {
            handed.add(s.spec().name());
            writes.start(s);
          });

      // the directory does not read earlier layers, so it goes first; the images follow in layer
      // order; a layer whose only path is optional and absent is left out
      assertThat(handed).containsExactly("app", "apk", "release");
      assertThat(selected).extracting(s -> s.spec().name()).containsExactly("apk", "app", "release");
      // the builder's apk with the libraries its loader opens (closure: auto), at their own paths
      assertThat(files(selected.get(0))).contains("/sbin/apk").anyMatch(p -> p.startsWith("/lib/libapk.so"))
          .anyMatch(p -> p.startsWith("/lib/libcrypto.so"));
      assertThat(files(selected.get(1))).containsExactlyInAnyOrder("/app/main.sh", "/app/lib/data.txt");
      assertThat(files(selected.get(2))).containsExactly("/app/base-release");
      assertThat(selected).extracting(SelectedLayer::history)
          .containsExactly("builder", "local directory app", "base");
      // the base's files are read when the first layer placed onto them needs them (PlatformBuild
      // reads them before this phase, while the builder's are prefetched)
      assertThat(f.listener.steps()).containsSubsequence("resolve base", "resolve builder",
          "select files of layer 'app' (graft.yaml:6:5)", "read base", "read builder",
          "select files of layer 'apk' (graft.yaml:5:5)", "select files of layer 'release' (graft.yaml:7:5)");
      assertThat(writes.finish(selected)).extracting(AddedLayer::name).containsExactly("apk", "app", "release");
    }
  }

  @Test
  void aRebuildTakesTheRememberedSelectionAndReadsTheBuilderOnlyWhenAByteIsRead(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    List<String> first;
    try (PhaseFixture f = project(tmp, cache, LAYERS)) {
      WriteLayers writes = f.writes();
      List<SelectedLayer> selected = f.select(f.sources(f.resolve()), writes);
      writes.finish(selected);
      first = files(selected.get(0));
    }
    try (PhaseFixture f = project(tmp, cache, LAYERS)) {
      WriteLayers writes = f.writes();
      List<SelectedLayer> selected = f.select(f.sources(f.resolve()), writes);
      SelectedLayer apk = selected.get(0);
      assertThat(apk.cached()).isPresent();
      assertThat(files(apk)).isEqualTo(first);
      assertThat(f.listener.steps()).doesNotContain("read builder").noneMatch(s -> s.contains("layer 'apk'"));
      assertThat(writes.finish(selected).get(0).cached()).isTrue();

      // verification (or anything else) reading a remembered file selects again, once
      LayerEntry binary = apk.entries().stream().filter(e -> e.path().equals("/sbin/apk")).findFirst().orElseThrow();
      try (InputStream in = binary.content().open()) {
        assertThat(in.readNBytes(4)).containsExactly(0x7f, 'E', 'L', 'F');
      }
      assertThat(f.listener.steps()).containsSubsequence("read builder", "select files of layer 'apk' (graft.yaml:5:5)");
    }
  }

  @Test
  void aFailureNamesTheStepTheLayerAndThePlatform(@TempDir Path tmp) throws Exception {
    String layers = "- { name: tool, from: builder, paths: [/usr/bin/no-such-tool] }\n";
    try (PhaseFixture f = project(tmp, tmp.resolve("cache"), layers)) {
      List<LayerFiles> sources = f.sources(f.resolve());
      assertThatThrownBy(() -> f.select(sources, f.writes())).isInstanceOf(BuildException.class)
          .hasMessageStartingWith("failed to select files of layer 'tool' (graft.yaml:5:5) for linux/amd64: ")
          .hasMessageContaining("/usr/bin/no-such-tool");
    }
  }
}
