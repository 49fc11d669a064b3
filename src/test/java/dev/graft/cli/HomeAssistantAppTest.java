package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ContainerExit;
import dev.graft.testing.ContainerRuntimeExtension;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Home Assistant apps in the 2026 layout, end to end: the base is Alpine pushed to a real registry
 * as a multi-arch index (as ghcr.io/home-assistant/base:3.2x is), the apps are built with
 * {@code graft build --addon}, and skopeo (an independent client) checks what HA's builder would
 * have published: per-arch {@code {arch}-NAME} images, the generic NAME index, labels and media
 * types. The images then run: amd64 in the container runtime (podman), arm64
 * under chroot and qemu-user (no binfmt_misc here).
 */
class HomeAssistantAppTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @RegisterExtension
  static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();

  @TempDir static Path shared;
  static String base;
  static String builder;

  @BeforeAll
  static void pushBaseAndBuilder() throws Exception {
    base = HomeAssistantApps.pushBase(registry.get(), shared.resolve("alpine"), "home-assistant/base:3.18",
        List.of(dev.graft.oci.Platform.LINUX_AMD64, dev.graft.oci.Platform.LINUX_ARM64));
    builder = registry.get().hostPort() + "/acme/node-sync-builder:20";
    skopeo("copy", "--all", "oci:" + ExampleApp.images().resolve("builder") + ":latest", "docker://" + builder);
  }

  static String skopeo(String... args) {
    return HomeAssistantApps.skopeo(registry.get(), args);
  }

  @Test
  void theExampleNodeAppIsPublishedAsHomeAssistantsBuilderPublishesItAndRuns(@TempDir Path tmp) throws Exception {
    Path app = HomeAssistantApps.copyExample(tmp.resolve("node-sync"));
    String host = registry.get().hostPort();
    Path outputs = tmp.resolve("github-output");
    GraftProcess.Result run = GraftProcess.run(Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
            "GITHUB_OUTPUT", outputs.toString(), "SOURCE_DATE_EPOCH", "1767225600"),
        "build", "--addon", app.toString(), "--build-arg", "BUILD_FROM=" + base, "--set", "builder=" + builder,
        "--to", host + "/acme/node-sync", "--tag", "latest", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("skipped: graft.yaml's dockerfile.ignore 'RUN apk add *' takes it over");

    // the generic index, under the version and latest, over the two per-arch images
    String indexRaw = skopeo("inspect", "--raw", "docker://" + host + "/acme/node-sync:1.4.0");
    JsonNode index = Json.MAPPER.readTree(indexRaw);
    assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(HomeAssistantApps.sha256(skopeo("inspect", "--raw", "docker://" + host + "/acme/node-sync:latest")))
        .isEqualTo(HomeAssistantApps.sha256(indexRaw));
    assertThat(index.get("manifests")).extracting(m -> m.get("platform").get("architecture").asText())
        .containsExactly("arm64", "amd64");
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(json.get("indexDigest").asText()).isEqualTo(HomeAssistantApps.sha256(indexRaw));

    for (String[] arch : new String[][] {{"amd64", "amd64", "x64"}, {"aarch64", "arm64", "arm64"}}) {
      String ref = host + "/acme/" + arch[0] + "-node-sync:1.4.0";
      String manifestRaw = skopeo("inspect", "--raw", "docker://" + ref);
      JsonNode manifest = Json.MAPPER.readTree(manifestRaw);
      String digest = HomeAssistantApps.sha256(manifestRaw);
      assertThat(index.get("manifests")).as("the index lists the per-arch image").anyMatch(m ->
          m.get("digest").asText().equals(digest) && m.get("platform").get("architecture").asText().equals(arch[1]));
      assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
      List<String> layerTypes = new ArrayList<>();
      manifest.get("layers").forEach(l -> layerTypes.add(l.get("mediaType").asText()));
      assertThat(layerTypes.get(0)).as("the base's layer, reused as it is")
          .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      assertThat(layerTypes.subList(1, layerTypes.size())).as("graft's layers: zstd with OCI media types")
          .isNotEmpty().allMatch("application/vnd.oci.image.layer.v1.tar+zstd"::equals);
      // level 9, as zstd's own CLI reads the largest layer (node): zstd picks a 4 MiB window for
      // levels 8-12 of a large input, 2 MiB for its default level 3, 8 MiB for 19
      JsonNode largest = null;
      for (int i = 1; i < manifest.get("layers").size(); i++) {
        JsonNode l = manifest.get("layers").get(i);
        largest = largest == null || l.get("size").asLong() > largest.get("size").asLong() ? l : largest;
      }
      Path blob = tmp.resolve(arch[0] + "-largest.zst");
      Files.write(blob, SignatureJudge.blob(registry.get(), "acme/" + arch[0] + "-node-sync",
          largest.get("digest").asText(), tmp));
      Tools.Result frames = Tools.runOk(Duration.ofMinutes(2), "zstd", "-lv", blob.toString());
      assertThat(frames.stdout() + frames.stderr()).as("zstd -lv of a %d-byte layer", largest.get("size").asLong())
          .contains("Window Size: 4.00 MiB");
      assertThat(json.get("targets")).anyMatch(t -> t.get("digest").asText().equals(digest)
          && t.get("kind").asText().equals("image") && t.get("name").asText().equals(host + "/acme/" + arch[0]
          + "-node-sync"));

      JsonNode config = Json.MAPPER.readTree(skopeo("inspect", "--config", "--raw", "docker://" + ref)).get("config");
      JsonNode labels = config.get("Labels");
      assertThat(labels.get("io.hass.type").asText()).isEqualTo("app");
      assertThat(labels.get("io.hass.name").asText()).isEqualTo("Node Sync");
      assertThat(labels.get("io.hass.arch").asText()).isEqualTo(arch[0]);
      assertThat(labels.get("io.hass.version").asText()).isEqualTo("1.4.0");
      assertThat(labels.get("io.hass.url").asText()).isEqualTo("https://github.com/acme/apps/tree/main/node-sync");
      assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo("1.4.0");
      assertThat(labels.get("org.opencontainers.image.created").asText()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("Home Assistant App: Node Sync");
      List<String> env = new ArrayList<>();
      config.get("Env").forEach(e -> env.add(e.asText()));
      assertThat(env).contains("PATH=/app/node_modules/.bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "NODE_ENV=production", "APP_VERSION=1.4.0", "LIBC=glibc");
      assertThat(config.get("ExposedPorts").has("8099/tcp")).isTrue();
      assertThat(config.get("Healthcheck").get("Test").toString()).isEqualTo("[\"CMD\",\"/usr/bin/healthcheck\"]");
      assertThat(config.get("Cmd").toString()).isEqualTo("[\"node\",\"/app/server.js\"]");
      assertThat(config.get("WorkingDir").asText()).isEqualTo("/app");

      // it runs: the backend answers on the ingress port with node, bcrypt's addon and rootfs/'s files
      JsonNode status;
      if (arch[1].equals("amd64")) {
        // in the container runtime (podman), pulled from the registry
        GenericContainer<?> c = runtime.container(runtime.load(ref, "amd64")).withExposedPorts(8099)
            .waitingFor(Wait.forHttp("/health").forPort(8099).forStatusCode(200)
                .withStartupTimeout(Duration.ofMinutes(1)));
        c.start();
        String base = "http://" + c.getHost() + ":" + c.getMappedPort(8099);
        status = Json.MAPPER.readTree(RunningServer.fetch(base + "/status"));
        assertThat(RunningServer.fetch(base + "/")).contains("<h1>Node Sync</h1>");
        // podman ignores the HEALTHCHECK of OCI-format images (HA publishes OCI media types), so the
        // check's command is run in the container here: COPY --chmod=755 made it executable
        org.testcontainers.containers.Container.ExecResult health = c.execInContainer("/usr/bin/healthcheck");
        assertThat(health.getExitCode()).as("the HEALTHCHECK command: " + health.getStderr()).isZero();
      } else {
        // no binfmt_misc here for a foreign CPU in the runtime: chroot and qemu-user, as the image unpacks
        UnpackedImage image = UnpackedImage.of(tmp.resolve("run-" + arch[1]), "docker://" + ref, arch[1], true);
        assertThat(Files.getPosixFilePermissions(image.rootfs().resolve("usr/bin/healthcheck")))
            .as("COPY --chmod=755").contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        try (RunningServer server = RunningServer.start(image)) {
          status = Json.MAPPER.readTree(server.get("/status"));
          assertThat(server.get("/")).contains("<h1>Node Sync</h1>");
        }
      }
      assertThat(status.get("version").asText()).isEqualTo("1.4.0");
      assertThat(status.get("arch").asText()).isEqualTo(arch[2]);
      assertThat(status.get("bcrypt").asBoolean()).as("bcrypt's native addon loaded").isTrue();
      assertThat(status.get("logLevel").asText()).as("defaults from rootfs/etc").isEqualTo("info");
    }

    // what a signing step reads: every image and the index as NAME@DIGEST
    String out = Files.readString(outputs);
    assertThat(out).contains("digest=" + HomeAssistantApps.sha256(indexRaw), "image=" + host + "/acme/node-sync\n",
        host + "/acme/node-sync@" + HomeAssistantApps.sha256(indexRaw) + "\n",
        host + "/acme/amd64-node-sync@sha256:", host + "/acme/aarch64-node-sync@sha256:");
  }

  @Test
  void anAppWrittenByTheAppsExampleConventionsBuildsWithAddonAndNothingElse(@TempDir Path tmp) throws Exception {
    String host = registry.get().hostPort();
    Path app = HomeAssistantApps.appsExampleStyle(tmp.resolve("example"), base, host + "/acme/app-example");
    GraftProcess.Result run = GraftProcess.run(Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()),
        "build", "--addon", app.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Built " + host + "/acme/amd64-app-example:1.3.1",
        "Built " + host + "/acme/aarch64-app-example:1.3.1", "Built " + host + "/acme/app-example:1.3.1");
    JsonNode index = Json.MAPPER.readTree(skopeo("inspect", "--raw", "docker://" + host + "/acme/app-example:1.3.1"));
    assertThat(index.get("manifests")).hasSize(2);
    JsonNode labels = Json.MAPPER.readTree(skopeo("inspect", "--config",
        "docker://" + host + "/acme/aarch64-app-example:1.3.1")).get("config").get("Labels");
    assertThat(labels.get("io.hass.type").asText()).isEqualTo("app");
    assertThat(labels.get("io.hass.arch").asText()).isEqualTo("aarch64");
    assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo("https://github.com/acme/apps-example");
    // amd64 in podman: the s6 service script as the Supervisor's init would start it
    ContainerExit done = runtime.runToExit(runtime.container(runtime.load(host + "/acme/amd64-app-example:1.3.1",
        "amd64")).withCommand("/etc/services.d/example/run"), Duration.ofMinutes(1));
    assertThat(done.stdout()).as(done.stderr()).isEqualTo("All done!\n");
    // arm64 under chroot + qemu-user (a script cannot exec another foreign binary there: run the program)
    UnpackedImage image = UnpackedImage.of(tmp.resolve("run"), "docker://" + host + "/acme/aarch64-app-example:1.3.1",
        "arm64", true);
    Tools.Result r = image.run(Map.of(), "/bin/busybox", "sh", "/usr/bin/my_program");
    assertThat(r.stdout()).as(r.stderr()).isEqualTo("All done!\n");
  }

  @Test
  void aRunInTheDockerfileStopsTheBuildAtItsLineBeforeAnyNetworkCall(@TempDir Path tmp) throws Exception {
    // nothing listens on port 1: a network call would fail with a different message
    Path app = HomeAssistantApps.appsExampleStyle(tmp.resolve("example"), "127.0.0.1:1/home-assistant/base:3.23",
        "127.0.0.1:1/acme/app-example");
    Files.writeString(app.resolve("Dockerfile"), Files.readString(app.resolve("Dockerfile"))
        + "RUN apk add --no-cache jq\n");
    CliRun run = CliRun.of("build", "--addon", app.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(app + "/Dockerfile:13: RUN cannot be honoured: graft runs no commands",
        "dockerfile: {ignore: [\"RUN apk add *\"]}");
    assertThat(run.err()).doesNotContain("127.0.0.1:1/");
  }

  @Test
  void zstdChunkedAndEstargzBasesAreReadAsPlainZstdAndGzip(@TempDir Path tmp) throws Exception {
    Path layout = tmp.resolve("chunked");
    Tools.runOk(Duration.ofMinutes(5), "python3", TestData.projectRoot().resolve("testdata/ha-app/make-chunked-bases.py")
        .toString(), TestData.sharedTestdata().resolve("alpine").toString(), "3.18.9", layout.toString());
    String host = registry.get().hostPort();
    for (String kind : List.of("zstd-chunked", "estargz")) {
      String chunkedBase = host + "/home-assistant/base:3.18-" + kind;
      skopeo("copy", "--all", "oci:" + layout + ":" + kind, "docker://" + chunkedBase);
      Path app = HomeAssistantApps.appsExampleStyle(tmp.resolve(kind), chunkedBase, host + "/acme/" + kind + "-app");
      CliRun run = CliRun.of("build", "--addon", app.toString(), "--cache-dir", tmp.resolve("cache").toString(), "-q");
      assertThat(run.exitCode()).as(kind + ": " + run.err()).isZero();
      String ref = "docker://" + host + "/acme/amd64-" + kind + "-app:1.3.1";
      JsonNode baseLayer = Json.MAPPER.readTree(skopeo("inspect", "--raw", ref)).get("layers").get(0);
      assertThat(baseLayer.get("annotations").fieldNames()).as("the base layer's table of contents is still found")
          .toIterable().isNotEmpty();
      UnpackedImage image = UnpackedImage.of(tmp.resolve("run-" + kind), ref, "amd64", true);
      Tools.Result r = image.run(Map.of(), "/bin/sh", "-c", "cat /etc/alpine-release && /etc/services.d/example/run");
      assertThat(r.stdout()).as(r.stderr()).isEqualTo("3.18.9\nAll done!\n");
    }
  }

  /** The app's CMD (node /app/server.js) started under chroot on a free port, stopped on close. */
  record RunningServer(Process process, int port) implements AutoCloseable {
    static RunningServer start(UnpackedImage image) throws Exception {
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      List<String> cmd = new ArrayList<>(List.of("env", "-i"));
      image.env().forEach((k, v) -> cmd.add(k + "=" + v));
      cmd.add("PORT=" + port);
      cmd.addAll(List.of(Tools.require("chroot").toString(), image.rootfs().toString()));
      if (image.arch().equals("arm64")) {
        Files.copy(Tools.require("qemu-aarch64-static"), image.rootfs().resolve("qemu-aarch64-static"));
        cmd.add("/qemu-aarch64-static");
      }
      cmd.addAll(List.of("/usr/local/bin/node", "/app/server.js"));
      Process p = new ProcessBuilder(cmd).directory(image.rootfs().toFile()).redirectErrorStream(true)
          .redirectOutput(image.rootfs().resolveSibling("server.log").toFile()).start();
      RunningServer server = new RunningServer(p, port);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (true) {
        try {
          server.get("/health");
          return server;
        } catch (java.io.IOException e) {
          if (!p.isAlive() || System.nanoTime() > deadline) {
            server.close();
            throw new AssertionError("the app did not start: "
                + Files.readString(image.rootfs().resolveSibling("server.log")), e);
          }
          Thread.sleep(200);
        }
      }
    }

    String get(String path) throws Exception {
      return fetch("http://127.0.0.1:" + port + path);
    }

    static String fetch(String url) throws Exception {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
