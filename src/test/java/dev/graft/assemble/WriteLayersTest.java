package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.config.ManifestFormat;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase "write layers" on a real local directory: a layer is written into the layer cache with
 * progress, found there on the next build (no progress, reported as cached), given Docker's media
 * type for a Docker manifest, and a failed write names its layer.
 */
class WriteLayersTest {
  @TempDir
  static Path images;

  private static PhaseFixture project(Path tmp) throws Exception {
    Path dir = tmp.resolve("project");
    Files.createDirectories(dir.resolve("app"));
    byte[] data = new byte[3 << 20];
    new Random(14).nextBytes(data);
    Files.write(dir.resolve("app/data.bin"), data);
    return PhaseFixture.of(images, dir, tmp.resolve("cache"), Platform.LINUX_AMD64,
        "- { name: app, from: ./app, to: /app }\n", "entrypoint: [/bin/sh]");
  }

  @Test
  void aLayerIsWrittenWithProgressAndTakenFromTheCacheNextTime(@TempDir Path tmp) throws Exception {
    try (PhaseFixture f = project(tmp)) {
      List<LayerFiles> sources = f.sources(f.resolve());
      WriteLayers writes = f.writes();
      List<AddedLayer> added = writes.finish(f.select(sources, writes));
      assertThat(added).singleElement().satisfies(a -> {
        assertThat(a.name()).isEqualTo("app");
        assertThat(a.source()).isEqualTo("local directory app");
        assertThat(a.cached()).isFalse();
        assertThat(a.layer().descriptor().mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
      });
      // the cached blob is what its digest says, a gzip tar holding the file (read by commons-compress)
      Path blob = added.get(0).layer().blob();
      assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(blob)))).isEqualTo(added.get(0).layer().digest().toString());
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(blob)))) {
        List<String> names = new ArrayList<>();
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          names.add(e.getName() + (e.isFile() ? " " + e.getSize() : ""));
        }
        assertThat(names).contains("app/data.bin " + (3 << 20));
      }
      assertThat(f.listener.progress()).isNotEmpty().last().satisfies(p -> assertThat(p[0]).isEqualTo(3 << 20)
          .isEqualTo(p[1]));
      assertThat(f.listener.written()).extracting(AddedLayer::layer).containsExactly(added.get(0).layer());
      assertThat(f.listener.steps()).contains("write layer 'app' (graft.yaml:5:5)");
    }
    try (PhaseFixture f = project(tmp)) {
      List<LayerFiles> sources = f.sources(f.resolve());
      WriteLayers writes = new WriteLayers(f.layers, ManifestFormat.DOCKER, f.steps, f.listener);
      List<AddedLayer> added = writes.finish(f.select(sources, writes));
      writes.close();
      assertThat(added.get(0).cached()).isTrue();
      assertThat(added.get(0).layer().descriptor().mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
      assertThat(f.listener.progress()).isEmpty();
    }
  }

  @Test
  void aFailedWriteNamesItsLayerAndPlatform(@TempDir Path tmp) throws Exception {
    try (PhaseFixture f = project(tmp)) {
      List<LayerFiles> sources = f.sources(f.resolve());
      WriteLayers writes = f.writes();
      List<SelectedLayer> selected = new SelectLayers(f.pp.layers(), sources, f.layers, f::options, f.steps).run(s -> {
        try {
          Files.delete(f.project.resolve("app/data.bin")); // gone between selection and writing
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        writes.start(s);
      });
      assertThatThrownBy(() -> writes.finish(selected)).isInstanceOf(BuildException.class)
          .hasMessageStartingWith("failed to write layer 'app' (graft.yaml:5:5) for linux/amd64: ")
          .hasMessageContaining("data.bin");
    }
  }
}
