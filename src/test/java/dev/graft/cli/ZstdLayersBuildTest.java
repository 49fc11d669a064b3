package dev.graft.cli;

import static dev.graft.testing.NpmFixtures.NODE22_X64;
import static dev.graft.testing.NpmFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.layer.ZstdWorkers;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.Tools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real build of four zstd-9 layers written at once (four local directories, 24 MiB of node's
 * binary each): the process never runs more zstd workers than its budget (one per core), the
 * streams that found it taken waited, and every layer is a zstd frame that zstd(1) decompresses to
 * the tar the config's diffID names.
 */
class ZstdLayersBuildTest {
  private static final int PARTS = 4;
  private static final int SLICE = 24 << 20;

  @Test
  void fourZstdNineLayersAtOnceStayWithinTheWorkerBudget(@TempDir Path tmp) throws Exception {
    Path base = tmp.resolve("base");
    AlpineImages.layout(base, "3.16");
    Path project = Files.createDirectories(tmp.resolve("project"));
    StringBuilder layers = new StringBuilder();
    try (InputStream node = Files.newInputStream(file(NODE22_X64, "bin/node"))) {
      for (int i = 0; i < PARTS; i++) {
        Path dir = Files.createDirectories(project.resolve("part" + i));
        Files.write(dir.resolve("slice.bin"), node.readNBytes(SLICE));
        layers.append("  - { name: part").append(i).append(", from: ./part").append(i).append(", to: /data/")
            .append(i).append(" }\n");
      }
    }
    Files.writeString(project.resolve("graft.yaml"), """
        base: oci:%s:3.16
        platforms: [linux/amd64]
        compression: zstd:9
        layers:
        %s
        config:
          entrypoint: [/bin/sh]
        """.formatted(base, layers));
    long waitsBefore = ZstdWorkers.PROCESS.waits();
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("build", "-f", project.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--to", "oci:" + out + ":zstd9", "--json", "-q");
    assertThat(r.exitCode()).as(r.err()).isZero();

    // the bound's own counters: never more workers than the budget, and it was needed
    assertThat(ZstdWorkers.PROCESS.peak()).isBetween(1, ZstdWorkers.PROCESS.budget());
    // each stream asks for a worker per core, so a second stream open at once waits
    assertThat(ZstdWorkers.PROCESS.waits()).as("streams waited for workers").isGreaterThan(waitsBefore);

    // every new layer: zstd media type, and zstd(1) gives back the tar its diffID names
    JsonNode index = Json.MAPPER.readTree(out.resolve("index.json").toFile());
    JsonNode manifest = blob(out, index.get("manifests").get(0).get("digest").asText());
    JsonNode config = blob(out, manifest.get("config").get("digest").asText());
    JsonNode descriptors = manifest.get("layers");
    int n = descriptors.size();
    List<String> zstdLayers = new ArrayList<>();
    for (int i = n - PARTS; i < n; i++) {
      JsonNode d = descriptors.get(i);
      assertThat(d.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
      Path blob = blobPath(out, d.get("digest").asText());
      Path tar = tmp.resolve("layer" + i + ".tar");
      Tools.runOk(Duration.ofMinutes(2), Tools.require("zstd").toString(), "-q", "-d", "-o", tar.toString(),
          blob.toString());
      assertThat(Digest.sha256(Files.readAllBytes(tar)).toString())
          .isEqualTo(config.get("rootfs").get("diff_ids").get(i).asText());
      zstdLayers.add(d.get("digest").asText());
    }
    assertThat(zstdLayers).doesNotHaveDuplicates();
  }

  private static JsonNode blob(Path layout, String digest) throws java.io.IOException {
    return Json.MAPPER.readTree(blobPath(layout, digest).toFile());
  }

  private static Path blobPath(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }
}
