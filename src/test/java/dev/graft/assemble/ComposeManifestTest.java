package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.config.ManifestFormat;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phases "compose config" and "manifest" on a real base and a real written layer: the base's
 * layers by reference and graft's after them, the config's diff IDs in the same order; Docker
 * schema 2 names the base's layers by their Docker types and cannot hold a zstd base layer.
 */
class ComposeManifestTest {
  @TempDir
  static Path images;

  private record Built(ResolvedImage base, List<AddedLayer> added, Blob config, Steps steps) {}

  private static Built build(Path tmp) throws Exception {
    Path dir = tmp.resolve("project");
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/hello.txt"), "hello\n");
    try (PhaseFixture f = PhaseFixture.of(images, dir, tmp.resolve("cache"), Platform.LINUX_ARM64,
        "- { name: app, from: ./app, to: /app }\n", "entrypoint: [/bin/cat, /app/hello.txt]")) {
      ResolvedSources sources = f.resolve();
      WriteLayers writes = f.writes();
      List<AddedLayer> added = writes.finish(f.select(f.sources(sources), writes));
      Blob config = new ComposeConfig(sources.base().config(), f.pp.config(), added, f.plan.epoch(),
          MediaTypes.OCI_CONFIG).run();
      return new Built(sources.base(), added, config, f.steps);
    }
  }

  @Test
  void theBaseLayersComeFirstThenGraftsUnderTheConfig(@TempDir Path tmp) throws Exception {
    Built b = build(tmp);
    Manifest m = Manifest.parse(new ComposeManifest(b.base(), b.added(), b.config(), ManifestFormat.OCI, b.steps())
        .run());
    assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(m.config()).isEqualTo(b.config().descriptor());
    assertThat(m.layers()).containsExactly(b.base().manifest().layers().get(0), b.added().get(0).layer().descriptor());

    Manifest docker = Manifest.parse(new ComposeManifest(b.base(), b.added(), b.config(), ManifestFormat.DOCKER,
        b.steps()).run());
    assertThat(docker.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(docker.layers().get(0).mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
    assertThat(docker.layers().get(0).digest()).isEqualTo(b.base().manifest().layers().get(0).digest());
  }

  @Test
  void aDockerManifestRefusesAZstdBaseLayer(@TempDir Path tmp) throws Exception {
    Built b = build(tmp);
    Descriptor gzip = b.base().manifest().layers().get(0);
    Manifest zstd = new Manifest(MediaTypes.OCI_MANIFEST, b.base().manifest().config(),
        List.of(new Descriptor(MediaTypes.OCI_LAYER_ZSTD, gzip.digest(), gzip.size())), Map.of());
    ResolvedImage base = new ResolvedImage(b.base().source(), zstd.toBlob(), zstd, b.base().configBlob(),
        b.base().config());
    assertThatThrownBy(() -> new ComposeManifest(base, b.added(), b.config(), ManifestFormat.DOCKER, b.steps()).run())
        .isInstanceOf(BuildException.class)
        .hasMessageStartingWith("failed to compose manifest for linux/arm64/v8: base oci:")
        .hasMessageContaining(gzip.digest() + " of type " + MediaTypes.OCI_LAYER_ZSTD)
        .hasMessageEndingWith("use format: oci");
  }
}
