package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the Home Assistant app tests share: a base pushed to the test registry as a multi-arch index
 * (as {@code ghcr.io/home-assistant/base:3.2x} is), skopeo as the independent reader, the example
 * app of {@code testdata/ha-app}, and an app written by the conventions of HA's apps-example.
 */
final class HomeAssistantApps {
  private HomeAssistantApps() {}

  /** Alpine 3.18 for {@code platforms}, pushed by skopeo as an OCI index to {@code REGISTRY/repoTag}; its reference. */
  static String pushBase(RealRegistry r, Path work, String repoTag, List<Platform> platforms) throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.layout(work, "3.18", "3.18", platforms);
    String ref = r.hostPort() + "/" + repoTag;
    skopeo(r, "copy", "--all", "oci:" + alpine.dir() + ":3.18", "docker://" + ref);
    JsonNode index = Json.MAPPER.readTree(skopeo(r, "inspect", "--raw", "docker://" + ref));
    assertThat(index.get("mediaType").asText()).as("the base is a multi-arch index")
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    return ref;
  }

  /** skopeo ARGS against the test registry (plain HTTP); its stdout, asserting success. */
  static String skopeo(RealRegistry r, String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", args[0]));
    cmd.addAll(args[0].equals("copy") ? List.of("--src-tls-verify=false", "--dest-tls-verify=false")
        : r.skopeoArgs());
    cmd.addAll(List.of(args).subList(1, args.length));
    Tools.Result res = Tools.run(Duration.ofMinutes(3), null, cmd);
    assertThat(res.exitCode()).as(String.join(" ", cmd) + "\n" + res.stderr()).isZero();
    return res.stdout();
  }

  /** The manifest or index at {@code ref}, as the registry serves it. */
  static JsonNode raw(RealRegistry r, String ref) throws Exception {
    return Json.MAPPER.readTree(skopeo(r, "inspect", "--raw", "docker://" + ref));
  }

  /** The image config blob of the image at {@code ref} (a per-arch manifest). */
  static JsonNode config(RealRegistry r, String ref) throws Exception {
    return Json.MAPPER.readTree(skopeo(r, "inspect", "--config", "--raw", "docker://" + ref));
  }

  /** The digest of a manifest as skopeo printed it (skopeo adds a newline). */
  static String sha256(String raw) throws Exception {
    String text = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** testdata/ha-app copied to {@code to} (without the script that makes the chunked bases). */
  static Path copyExample(Path to) throws Exception {
    Path src = TestData.projectRoot().resolve("testdata/ha-app");
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().endsWith(".py")) {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /** An app written as HA's apps-example is (config.yaml, Dockerfile, rootfs/; no graft.yaml). */
  static Path appsExampleStyle(Path dir, String from, String image) throws Exception {
    Files.createDirectories(dir.resolve("rootfs/etc/services.d/example"));
    Files.createDirectories(dir.resolve("rootfs/usr/bin"));
    Files.createDirectories(dir.resolve("translations"));
    Files.writeString(dir.resolve("config.yaml"), """
        # https://developers.home-assistant.io/docs/apps/configuration#app-configuration
        name: Example app
        version: "1.3.1"
        slug: example
        description: Example app
        url: "https://github.com/acme/apps-example/tree/main/example"
        arch:
          - aarch64
          - amd64
        init: false
        map:
          - share:rw
        options:
          message: "Hello world..."
        schema:
          message: "str?"
        image: "%s"
        """.formatted(image));
    Files.writeString(dir.resolve("Dockerfile"), """
        # https://developers.home-assistant.io/docs/apps/configuration#app-dockerfile
        ARG BUILD_FROM=%s
        FROM ${BUILD_FROM}

        # Copy root filesystem
        COPY rootfs /

        LABEL \\
            org.opencontainers.image.title="Home Assistant App: Example app" \\
            org.opencontainers.image.description="Example app to use as a blueprint for new apps." \\
            org.opencontainers.image.source="https://github.com/acme/apps-example" \\
            org.opencontainers.image.licenses="Apache License 2.0"
        """.formatted(from));
    executable(Files.writeString(dir.resolve("rootfs/etc/services.d/example/run"),
        "#!/bin/sh\nexec /usr/bin/my_program\n"));
    executable(Files.writeString(dir.resolve("rootfs/usr/bin/my_program"), "#!/bin/sh\necho \"All done!\"\n"));
    Files.writeString(dir.resolve("translations/en.yaml"), "configuration:\n  message:\n    name: Message\n");
    Files.writeString(dir.resolve("DOCS.md"), "# Example app\n");
    return dir;
  }

  static Path executable(Path p) throws Exception {
    return Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
