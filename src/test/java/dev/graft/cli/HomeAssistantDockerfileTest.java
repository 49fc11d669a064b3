package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Platform;
import dev.graft.testing.ContainerExit;
import dev.graft.testing.ContainerRuntimeExtension;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
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

/**
 * Every Dockerfile instruction issue #18 names, end to end: an app whose Dockerfile uses ARG (with
 * --build-arg), FROM ${BUILD_FROM}, BUILD_ARCH and TARGETARCH, LABEL, ENV, WORKDIR, COPY --chmod
 * and --chown, CMD, ENTRYPOINT, EXPOSE, USER and HEALTHCHECK, built against a base pushed to a real
 * registry as a three-arch index, read back by skopeo and run (amd64 in podman as the USER it names,
 * arm64 and armv7 under chroot and qemu-user). Its arch list still names armv7, which HA dropped.
 */
class HomeAssistantDockerfileTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @RegisterExtension
  static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();

  @TempDir static Path shared;
  static String base;

  static final String DOCKERFILE = """
      # syntax=docker/dockerfile:1
      ARG BUILD_FROM
      FROM ${BUILD_FROM}

      ARG BUILD_ARCH
      ARG TARGETARCH
      ARG GREETING=hello

      LABEL org.example.greeting="${GREETING}" \\
            org.example.arch="${BUILD_ARCH}"
      ENV APP_HOME=/opt/greeter \\
          GREETING="${GREETING}" \\
          ARCHES="${BUILD_ARCH}/${TARGETARCH}" \\
          PATH="/opt/greeter/bin:$PATH"
      WORKDIR /opt/greeter
      COPY --chmod=755 bin/ bin/
      COPY --chown=guest:users --chmod=u=rwX,g=rX,o= data data
      COPY rootfs /
      EXPOSE 8099 5353/udp
      USER guest
      HEALTHCHECK --interval=10s --timeout=3s --retries=2 CMD ["greeter", "health"]
      ENTRYPOINT ["greeter"]
      CMD ["hello"]
      """;

  /** Shell builtins only for hello and health: under qemu-user a script cannot exec a foreign program. */
  static final String GREETER = """
      #!/bin/sh
      case "$1" in
        hello)
          . /etc/greeter.conf
          read -r line < "$APP_HOME/data/greeting.txt"
          echo "$GREETING from $WHO: $line (on $ARCHES in $PWD)" ;;
        health) [ -r "$APP_HOME/data/greeting.txt" ] ;;
        files) id; stat -c '%U:%G %a %n' "$APP_HOME/data" "$APP_HOME/data/greeting.txt" "$APP_HOME/bin/greeter" \\
          /etc/greeter.conf ;;
        *) echo "usage: greeter hello|health|files" >&2; exit 2 ;;
      esac
      """;

  @BeforeAll
  static void pushBase() throws Exception {
    base = HomeAssistantApps.pushBase(registry.get(), shared.resolve("alpine"), "home-assistant/base:3.18",
        List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7));
  }

  static Path greeterApp(Path dir, String image) throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("rootfs/etc"));
    Files.writeString(dir.resolve("config.yaml"), """
        name: Greeter
        version: "2.0.1"
        slug: greeter
        description: Says what it was made of
        url: "https://github.com/acme/apps/tree/main/greeter"
        arch: [armv7, aarch64, amd64]
        image: "%s"
        """.formatted(image));
    Files.writeString(dir.resolve("Dockerfile"), DOCKERFILE);
    Files.writeString(dir.resolve("bin/greeter"), GREETER); // not executable here: COPY --chmod=755 makes it so
    Files.writeString(dir.resolve("data/greeting.txt"), "no RUN was needed\n");
    Files.writeString(dir.resolve("rootfs/etc/greeter.conf"), "WHO=\"the rootfs\"\n");
    return dir;
  }

  static String skopeo(String... args) {
    return HomeAssistantApps.skopeo(registry.get(), args);
  }

  @Test
  void everyInstructionTheIssueNamesReachesTheImagesAndTheyRun(@TempDir Path tmp) throws Exception {
    String host = registry.get().hostPort();
    Path app = greeterApp(tmp.resolve("greeter"), host + "/acme/greeter");
    // created: the app's last commit (SOURCE_DATE_EPOCH exported empty, as some CI systems do)
    Tools.runOk(Duration.ofSeconds(30), "sh", "-c", "cd '" + app + "' && git init -q && git add -A && "
        + "GIT_COMMITTER_DATE='2026-05-04T03:02:01Z' git -c user.name=t -c user.email=t@t -c commit.gpgsign=false "
        + "commit -q -m greeter");
    GraftProcess.Result run = GraftProcess.run(Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
        "SOURCE_DATE_EPOCH", ""), "build", "--addon", app.toString(), "--build-arg", "BUILD_FROM=" + base,
        "--build-arg", "GREETING=bonjour", "--tag", "latest");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains(app + "/config.yaml:6:", "not building armv7: Home Assistant dropped it in late 2025",
        "image and file times are the app's last git commit, 2026-05-04T03:02:01Z");

    String indexRaw = skopeo("inspect", "--raw", "docker://" + host + "/acme/greeter:2.0.1");
    assertThat(HomeAssistantApps.sha256(skopeo("inspect", "--raw", "docker://" + host + "/acme/greeter:latest")))
        .as("latest is the version's index").isEqualTo(HomeAssistantApps.sha256(indexRaw));
    assertThat(dev.graft.oci.Json.MAPPER.readTree(indexRaw).get("manifests"))
        .extracting(m -> m.get("platform").get("architecture").asText()).containsExactly("arm64", "amd64");

    for (String[] arch : new String[][] {{"amd64", "amd64"}, {"aarch64", "arm64"}}) {
      String ref = host + "/acme/" + arch[0] + "-greeter:2.0.1";
      JsonNode image = HomeAssistantApps.config(registry.get(), ref);
      assertThat(image.get("architecture").asText()).isEqualTo(arch[1]);
      assertThat(image.get("created").asText()).isEqualTo("2026-05-04T03:02:01Z");
      JsonNode config = image.get("config");
      JsonNode labels = config.get("Labels");
      assertThat(labels.get("org.example.greeting").asText()).as("ARG default replaced by --build-arg").isEqualTo("bonjour");
      assertThat(labels.get("org.example.arch").asText()).as("BUILD_ARCH").isEqualTo(arch[0]);
      assertThat(labels.get("io.hass.type").asText()).isEqualTo("app");
      assertThat(labels.get("io.hass.arch").asText()).isEqualTo(arch[0]);
      assertThat(labels.get("io.hass.version").asText()).isEqualTo("2.0.1");
      assertThat(labels.get("org.opencontainers.image.created").asText()).isEqualTo("2026-05-04T03:02:01Z");
      List<String> env = new ArrayList<>();
      config.get("Env").forEach(e -> env.add(e.asText()));
      assertThat(env).contains("APP_HOME=/opt/greeter", "GREETING=bonjour", "ARCHES=" + arch[0] + "/" + arch[1],
          "PATH=/opt/greeter/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      assertThat(config.get("WorkingDir").asText()).isEqualTo("/opt/greeter");
      assertThat(config.get("User").asText()).isEqualTo("guest");
      assertThat(config.get("ExposedPorts").fieldNames()).toIterable().containsExactlyInAnyOrder("8099/tcp", "5353/udp");
      assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"greeter\"]");
      assertThat(config.get("Cmd").toString()).isEqualTo("[\"hello\"]");
      JsonNode health = config.get("Healthcheck");
      assertThat(health.get("Test").toString()).isEqualTo("[\"CMD\",\"greeter\",\"health\"]");
      assertThat(health.get("Interval").asLong()).isEqualTo(10_000_000_000L);
      assertThat(health.get("Timeout").asLong()).isEqualTo(3_000_000_000L);
      assertThat(health.get("Retries").asInt()).isEqualTo(2);
    }

    // amd64 in podman: ENTRYPOINT + CMD in WORKDIR as USER guest, who may read what COPY --chown gave it
    String amd64 = runtime.load(host + "/acme/amd64-greeter:2.0.1", "amd64");
    ContainerExit hello = runtime.runToExit(runtime.container(amd64), Duration.ofMinutes(1));
    assertThat(hello.stdout()).as(hello.stderr() + hello.error())
        .isEqualTo("bonjour from the rootfs: no RUN was needed (on amd64/amd64 in /opt/greeter)\n");
    ContainerExit healthy = runtime.runToExit(runtime.container(amd64).withCommand("health"), Duration.ofMinutes(1));
    assertThat(healthy.exitCode()).as("the HEALTHCHECK's command: " + healthy.stderr()).isZero();
    ContainerExit files = runtime.runToExit(runtime.container(amd64).withCommand("files"), Duration.ofMinutes(1));
    assertThat(files.stdout()).as(files.stderr()).startsWith("uid=405(guest) gid=100(users)").endsWith("""
        guest:users 750 /opt/greeter/data
        guest:users 640 /opt/greeter/data/greeting.txt
        root:root 755 /opt/greeter/bin/greeter
        root:root 644 /etc/greeter.conf
        """);

    // arm64 under chroot + qemu-user: the same script, BUILD_ARCH/TARGETARCH of that platform
    UnpackedImage arm64 = UnpackedImage.of(tmp.resolve("run-arm64"), "docker://" + host
        + "/acme/aarch64-greeter:2.0.1", "arm64", true);
    Tools.Result r = arm64.run(Map.of(), "/bin/busybox", "sh", "/opt/greeter/bin/greeter", "hello");
    assertThat(r.stdout()).as(r.stderr()).startsWith("bonjour from the rootfs: no RUN was needed (on aarch64/arm64 in ");
  }

  @Test
  void aDroppedArchAskedForIsBuiltWithAWarningAndTheCompressionCanBeChosen(@TempDir Path tmp) throws Exception {
    String host = registry.get().hostPort();
    Path app = greeterApp(tmp.resolve("greeter"), host + "/acme/greeter-legacy");
    GraftProcess.Result run = GraftProcess.run(Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
        "SOURCE_DATE_EPOCH", "1767225600"), "build", "--addon", app.toString(), "--build-arg", "BUILD_FROM=" + base,
        "--platform", "armv7", "--compression", "gzip");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("warning: --platform armv7: Home Assistant dropped armv7 in late 2025");
    String ref = host + "/acme/armv7-greeter-legacy:2.0.1";
    JsonNode manifest = HomeAssistantApps.raw(registry.get(), ref);
    List<String> layerTypes = new ArrayList<>();
    manifest.get("layers").forEach(l -> layerTypes.add(l.get("mediaType").asText()));
    assertThat(layerTypes).as("--compression gzip instead of the apps' zstd:9").hasSize(4)
        .allMatch("application/vnd.oci.image.layer.v1.tar+gzip"::equals);
    JsonNode image = HomeAssistantApps.config(registry.get(), ref);
    assertThat(image.get("architecture").asText() + "/" + image.get("variant").asText()).isEqualTo("arm/v7");
    assertThat(image.get("config").get("Labels").get("io.hass.arch").asText()).isEqualTo("armv7");

    UnpackedImage armv7 = UnpackedImage.of(tmp.resolve("run-armv7"), "docker://" + ref, "arm", false);
    Tools.Result r = armv7.run(Map.of(), "/bin/busybox", "sh", "/opt/greeter/bin/greeter", "hello");
    assertThat(r.stdout()).as(r.stderr()).startsWith("hello from the rootfs: no RUN was needed (on armv7/arm in ");
  }
}
