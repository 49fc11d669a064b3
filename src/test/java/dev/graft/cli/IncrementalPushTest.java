package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CI rebuild moves (issue 6): the base's layers are mounted from the registry, not uploaded;
 * a rebuild with one changed file uploads that layer and the config only; an unchanged rebuild
 * uploads nothing and rewrites no cached layer. Counts come from {@code --json}, never timings.
 */
class IncrementalPushTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @Test
  void rebuildsUploadOnlyWhatChangedAndAnUnchangedRebuildUploadsNothing(@TempDir Path tmp) throws Exception {
    ExampleApp.images();
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Path cache = tmp.resolve("cache");
    String host = registry.get().hostPort();
    Tools.Result copy = Tools.run(Duration.ofMinutes(2), null, List.of("skopeo", "copy", "--all",
        "--dest-tls-verify=false", "oci:" + ExampleApp.images().resolve("base") + ":latest",
        "docker://" + host + "/library/alpine:3.16"));
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    String[] build = {"build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir", cache.toString(),
        "--insecure-registry", host, "--platform", "linux/amd64", "--base", "docker://" + host + "/library/alpine:3.16",
        "--to", host + "/acme/app:latest", "--json", "-q"};

    JsonNode cold = run(build);
    JsonNode layers = cold.get("platforms").get(0).get("layers");
    long newBytes = 0;
    for (JsonNode l : layers) {
      newBytes += l.get("size").asLong();
    }
    // The base layer is already in the registry (another repository): mounted, never uploaded.
    assertThat(cold.get("blobs").get("mounted").asInt()).isEqualTo(1);
    assertThat(cold.get("blobs").get("uploaded").asInt()).isEqualTo(layers.size() + 1); // + config
    assertThat(cold.get("blobs").get("bytesUploaded").asLong()).isBetween(newBytes, newBytes + 64 * 1024);
    Map<Path, Object> cached = cacheFiles(cache);

    JsonNode noop = run(build);
    assertThat(noop.get("platforms").get(0).get("digest")).isEqualTo(cold.get("platforms").get(0).get("digest"));
    assertThat(noop.get("blobs").get("uploaded").asInt()).isZero();
    assertThat(noop.get("blobs").get("bytesUploaded").asLong()).isZero();
    // Same files, same inodes: no layer was re-tarred or recompressed into the cache.
    assertThat(cacheFiles(cache)).isEqualTo(cached);

    Path page = app.resolve("frontend/dist/index.html");
    Files.writeString(page, Files.readString(page).replace("graft example", "graft example v2"));
    JsonNode warm = run(build);
    long frontend = 0;
    for (JsonNode l : warm.get("platforms").get(0).get("layers")) {
      if (l.get("name").asText().equals("frontend")) {
        frontend = l.get("size").asLong();
      }
    }
    assertThat(warm.get("blobs").get("uploaded").asInt()).isEqualTo(2); // the frontend layer and the config
    assertThat(warm.get("blobs").get("bytesUploaded").asLong()).isBetween(frontend, frontend + 64 * 1024);
    Map<Path, Object> after = cacheFiles(cache);
    after.keySet().retainAll(cached.keySet());
    assertThat(after).isEqualTo(cached); // the unchanged layers were reused as they were
  }

  private static JsonNode run(String... args) throws IOException {
    CliRun r = CliRun.of(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Json.MAPPER.readTree(r.out());
  }

  /** Each cached layer blob and layer index file with its inode: a rewrite (temp file + move) changes it. */
  private static Map<Path, Object> cacheFiles(Path cache) throws IOException {
    Map<Path, Object> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(cache)) {
      for (Path p : s.filter(Files::isRegularFile)
          .filter(p -> p.startsWith(cache.resolve("layers")) || p.startsWith(cache.resolve("blobs"))).toList()) {
        out.put(cache.relativize(p), Files.readAttributes(p, BasicFileAttributes.class).fileKey());
      }
    }
    return out;
  }
}
