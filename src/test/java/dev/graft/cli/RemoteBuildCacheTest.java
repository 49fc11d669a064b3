package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.RegistryUpload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build cache kept in the registry (issue 20), against a real registry: a machine with an
 * empty local cache (a fresh CI runner) takes every layer whose inputs are unchanged from the
 * cache without reading the builder or uploading a byte, builds what changed or what the registry
 * lost, and no damaged, foreign, stale or lying cache changes the image: its digest is always a
 * clean build's. Counts come from {@code --json}; the builder is proven unread by deleting its
 * layer blobs before the fresh build.
 */
class RemoteBuildCacheTest {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @Test
  void aFreshRunnerReusesEveryLayerWithoutReadingTheBuilderAndUploadsNothing(@TempDir Path tmp) throws Exception {
    Path app = app(tmp);
    JsonNode clean = build(app, tmp.resolve("c0"), "clean/app:v1", "--no-remote-cache");
    JsonNode first = build(app, tmp.resolve("c1"), "t1/app:v1");
    assertThat(first.get("buildCache").get("written").asText()).startsWith(host() + "/t1/app:graft-cache@sha256:");
    assertThat(tags("t1/app")).containsExactlyInAnyOrder("v1", "graft-cache");
    assertThat(tags("clean/app")).containsExactly("v1"); // --no-remote-cache writes none

    deleteBuilderLayerBlobs(app); // a fresh build that read the builder would now fail
    Path fresh = tmp.resolve("c2");
    JsonNode again = build(app, fresh, "t1/app:v1");

    assertThat(digest(again)).isEqualTo(digest(clean)).isEqualTo(digest(first));
    JsonNode layers = again.get("platforms").get(0).get("layers");
    layers.forEach(l -> assertThat(l.get("cached").asBoolean()).as(l.get("name").asText()).isTrue());
    assertThat(again.get("buildCache").get("layersReused").asInt()).isEqualTo(layers.size());
    assertThat(again.get("blobs").get("bytesUploaded").asLong()).isZero();
    assertThat(again.get("buildCache").get("bytesUploaded").asLong()).isZero(); // the same record: not rewritten
    assertThat(again.get("buildCache").get("written")).isEqualTo(first.get("buildCache").get("written"));
    assertThat(filesUnder(fresh.resolve("blobs"))).as("nothing tarred or compressed").isEmpty();
  }

  @Test
  void aFreshRunnerWithOneChangedFileBuildsAndUploadsOnlyThatLayer(@TempDir Path tmp) throws Exception {
    Path app = app(tmp);
    build(app, tmp.resolve("c1"), "t2/app:v1");
    Path page = app.resolve("frontend/dist/index.html");
    Files.writeString(page, Files.readString(page) + "<!-- v2 -->\n");
    JsonNode clean = build(app, tmp.resolve("c0"), "clean2/app:v2", "--no-remote-cache");

    deleteBuilderLayerBlobs(app);
    JsonNode fresh = build(app, tmp.resolve("c2"), "t2/app:v2");

    assertThat(digest(fresh)).isEqualTo(digest(clean));
    for (JsonNode l : fresh.get("platforms").get(0).get("layers")) {
      assertThat(l.get("cached").asBoolean()).as(l.get("name").asText()).isEqualTo(!l.get("name").asText().equals("frontend"));
    }
    assertThat(fresh.get("blobs").get("uploaded").asInt()).isEqualTo(2); // the frontend layer and the config
    assertThat(fresh.get("buildCache").get("layersReused").asInt()).isEqualTo(3);
    assertThat(fresh.get("buildCache").get("bytesUploaded").asLong()).isPositive(); // the new record
  }

  @Test
  void aLayerTheRegistryNoLongerHoldsIsBuiltAgain(@TempDir Path tmp) throws Exception {
    Path app = app(tmp);
    JsonNode first = build(app, tmp.resolve("c1"), "t3/app:v1");
    String frontend = layer(first, "frontend").get("digest").asText();
    RegistryUpload.deleteBlob(host(), "t3/app", frontend);

    JsonNode fresh = build(app, tmp.resolve("c2"), "t3/app:v1");

    assertThat(digest(fresh)).isEqualTo(digest(first));
    assertThat(layer(fresh, "frontend").get("cached").asBoolean()).isFalse();
    assertThat(layer(fresh, "node-runtime").get("cached").asBoolean()).isTrue();
    assertThat(fresh.get("blobs").get("uploaded").asInt()).isEqualTo(1); // the frontend layer again
  }

  @Test
  void noDamagedForeignStaleOrLyingCacheChangesTheImage(@TempDir Path tmp) throws Exception {
    Path app = app(tmp);
    JsonNode clean = build(app, tmp.resolve("c0"), "clean4/app:v1", "--no-remote-cache");
    JsonNode first = build(app, tmp.resolve("c1"), "t4/app:v1");
    String repo = "t4/app";
    byte[] goodManifest = RegistryUpload.get(host(), repo + "/manifests/graft-cache", OCI_MANIFEST);
    ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(goodManifest);
    String recordDigest = manifest.get("config").get("digest").asText();
    ObjectNode record = (ObjectNode) Json.MAPPER.readTree(RegistryUpload.get(host(), repo + "/blobs/" + recordDigest, null));
    List<String> cases = new ArrayList<>();

    // the cache tag names the app's own image, not a build cache
    put(repo, RegistryUpload.get(host(), repo + "/manifests/v1", OCI_MANIFEST));
    cases.add(expectSame(app, tmp, clean, "not a graft build cache"));

    // a record of a newer format
    ObjectNode newer = record.deepCopy();
    newer.put("graftBuildCache", 2);
    putRecord(repo, manifest, newer);
    cases.add(expectSame(app, tmp, clean, "format 1"));

    // a record naming layers its manifest does not hold (the registry would not keep them)
    ObjectNode bare = manifest.deepCopy();
    bare.putArray("layers");
    putRecord(repo, bare, record);
    cases.add(expectSame(app, tmp, clean, "does not hold"));

    // a record claiming a right key for a layer of another compression: not taken
    ObjectNode zstd = record.deepCopy();
    zstd.get("layers").forEach(l -> ((ObjectNode) l).put("mediaType", "application/vnd.oci.image.layer.v1.tar+zstd"));
    ObjectNode zstdManifest = manifest.deepCopy();
    zstdManifest.get("layers").forEach(l -> ((ObjectNode) l).put("mediaType", "application/vnd.oci.image.layer.v1.tar+zstd"));
    putRecord(repo, zstdManifest, zstd);
    JsonNode noneTaken = build(app, tmp.resolve("zstd"), "t4/app:v1", "--cache-to", host() + "/t4/app:other",
        "--cache-from", host() + "/t4/app:graft-cache");
    assertThat(digest(noneTaken)).isEqualTo(digest(clean));
    assertThat(noneTaken.get("buildCache").get("layersReused").asInt()).isZero();

    // carried selection and verification records that are garbage: missed, selected and verified again
    ObjectNode garbage = record.deepCopy();
    garbage.get("files").forEach(f -> ((ObjectNode) f).put("gzip", gzipBase64("garbage".getBytes(StandardCharsets.UTF_8))));
    putRecord(repo, manifest, garbage);
    JsonNode reverified = build(app, tmp.resolve("garbage"), "t4/app:v1", "--cache-to", host() + "/t4/app:other",
        "--cache-from", host() + "/t4/app:graft-cache");
    assertThat(digest(reverified)).isEqualTo(digest(clean));

    // the record's bytes changed in the registry's storage: its digest no longer matches
    put(repo, goodManifest);
    Path stored = registry.get().blobFile(recordDigest);
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 1;
    Files.write(stored, bytes);
    cases.add(expectSame(app, tmp, clean, "sha256"));

    assertThat(cases).hasSize(4);
    assertThat(digest(first)).isEqualTo(digest(clean));
  }

  @Test
  void aStaleCacheOfOtherInputsGivesOnlyWhatStillMatches(@TempDir Path tmp) throws Exception {
    Path app = app(tmp);
    build(app, tmp.resolve("c1"), "t5/app:v1");
    Path index = app.resolve("backend/dist/index.js");
    Files.writeString(index, Files.readString(index) + "\n// changed\n");
    JsonNode clean = build(app, tmp.resolve("c0"), "clean5/app:v2", "--no-remote-cache");

    JsonNode fresh = build(app, tmp.resolve("c2"), "t5/app:v2", "--cache-from", host() + "/t5/app");

    assertThat(digest(fresh)).isEqualTo(digest(clean));
    assertThat(layer(fresh, "backend").get("cached").asBoolean()).isFalse();
    assertThat(fresh.get("buildCache").get("layersReused").asInt()).isEqualTo(3);
  }

  @Test
  void cacheReferencesAreCheckedBeforeAnyWork(@TempDir Path tmp) throws IOException {
    Path app = app(tmp);
    CliRun notRegistry = CliRun.of(args(app, tmp.resolve("c"), "x/app:v1", "--cache-to", "oci:" + tmp.resolve("cache")));
    assertThat(notRegistry.exitCode()).isEqualTo(2);
    assertThat(notRegistry.error()).contains("--cache-to").contains("registry repository");
    CliRun pinned = CliRun.of(args(app, tmp.resolve("c"), "x/app:v1", "--cache-to",
        host() + "/x/app@sha256:" + "0".repeat(64)));
    assertThat(pinned.error()).contains("under a tag");
    CliRun both = CliRun.of(args(app, tmp.resolve("c"), "x/app:v1", "--no-remote-cache", "--cache-from", host() + "/x/app"));
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.error()).contains("--no-remote-cache");
    assertThat(tags("x/app")).isEmpty();
  }

  /** Builds with a fresh local cache against a cache tag that is bad in some way: the image is the clean one. */
  private String expectSame(Path app, Path tmp, JsonNode clean, String warning) throws IOException {
    Path cache = tmp.resolve("case-" + System.nanoTime());
    CliRun r = CliRun.of(args(app, cache, "t4/app:v1", "--json", "--cache-to", host() + "/t4/app:other",
        "--cache-from", host() + "/t4/app:graft-cache"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("warning: ").contains("build cache " + host() + "/t4/app:graft-cache").contains(warning);
    JsonNode out = Json.MAPPER.readTree(r.out());
    assertThat(digest(out)).isEqualTo(digest(clean));
    assertThat(out.get("buildCache").get("layersReused").asInt()).isZero();
    return warning;
  }

  private void putRecord(String repo, ObjectNode manifest, ObjectNode record) throws IOException {
    byte[] recordBytes = Json.write(record);
    String digest = RegistryUpload.blob(host(), repo, recordBytes);
    ObjectNode m = manifest.deepCopy();
    ((ObjectNode) m.get("config")).put("digest", digest).put("size", recordBytes.length);
    put(repo, Json.write(m));
  }

  private static void put(String repo, byte[] manifest) throws IOException {
    RegistryUpload.manifest(host(), repo, "graft-cache", OCI_MANIFEST, manifest);
  }

  private static String gzipBase64(byte[] bytes) {
    try {
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(buf)) {
        gz.write(bytes);
      }
      return java.util.Base64.getEncoder().encodeToString(buf.toByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The example app with its own copy of the builder layout (blobs hard-linked), so a test may delete them. */
  private static Path app(Path tmp) {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    try {
      Path images = ExampleApp.images();
      Files.delete(app.resolve("images"));
      Files.createDirectories(app.resolve("images"));
      Files.createSymbolicLink(app.resolve("images/base"), images.resolve("base"));
      Path from = images.resolve("builder");
      Path to = app.resolve("images/builder");
      try (Stream<Path> s = Files.walk(from)) {
        for (Path p : s.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.createLink(target, p);
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return app;
  }

  /** Deletes the layer blobs of every manifest in the app's builder layout (index, manifests and configs stay). */
  private static void deleteBuilderLayerBlobs(Path app) throws IOException {
    Path blobs = app.resolve("images/builder/blobs/sha256");
    List<String> layers = new ArrayList<>();
    try (Stream<Path> s = Files.list(blobs)) {
      for (Path p : s.toList()) {
        if (Files.size(p) > Json.MAX_DOCUMENT_BYTES) {
          continue;
        }
        JsonNode doc;
        try {
          doc = Json.MAPPER.readTree(Files.readAllBytes(p));
        } catch (IOException notJson) {
          continue;
        }
        if (doc != null && doc.has("layers")) {
          doc.get("layers").forEach(l -> layers.add(l.get("digest").asText().substring("sha256:".length())));
        }
      }
    }
    int deleted = 0;
    for (String hex : layers) {
      deleted += Files.deleteIfExists(blobs.resolve(hex)) ? 1 : 0;
    }
    assertThat(deleted).isPositive();
  }

  private static JsonNode build(Path app, Path cache, String target, String... extra) throws IOException {
    List<String> a = new ArrayList<>(List.of(args(app, cache, target, extra)));
    a.add("--json");
    CliRun r = CliRun.of(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Json.MAPPER.readTree(r.out());
  }

  private static String[] args(Path app, Path cache, String target, String... extra) {
    List<String> a = new ArrayList<>(List.of("build", "-q", "-f", app.resolve("graft.yaml").toString(),
        "--platform", "linux/amd64", "--cache-dir", cache.toString(), "--insecure-registry", host(),
        "--to", host() + "/" + target));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private static String host() {
    return registry.get().hostPort();
  }

  private static String digest(JsonNode build) {
    return build.get("platforms").get(0).get("digest").asText();
  }

  private static JsonNode layer(JsonNode build, String name) {
    for (JsonNode l : build.get("platforms").get(0).get("layers")) {
      if (l.get("name").asText().equals(name)) {
        return l;
      }
    }
    throw new AssertionError("no layer " + name);
  }

  private static List<String> tags(String repo) throws IOException {
    try {
      JsonNode list = Json.MAPPER.readTree(RegistryUpload.get(host(), repo + "/tags/list", null));
      List<String> out = new ArrayList<>();
      list.get("tags").forEach(t -> out.add(t.asText()));
      return out;
    } catch (IOException e) {
      if (e.getMessage().contains(": 404 ")) {
        return List.of();
      }
      throw e;
    }
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
