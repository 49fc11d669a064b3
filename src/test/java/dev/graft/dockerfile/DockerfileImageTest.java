package dev.graft.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Healthcheck;
import dev.graft.oci.Platform;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Dockerfile's last stage makes, per platform, without running anything. */
class DockerfileImageTest {
  @TempDir Path app;

  @BeforeEach
  void context() throws Exception {
    Files.createDirectories(app.resolve("rootfs/etc/services.d/app"));
    Files.writeString(app.resolve("rootfs/etc/services.d/app/run"), "#!/bin/sh\n");
    Files.createDirectories(app.resolve("backend"));
    Files.writeString(app.resolve("backend/package.json"), "{}");
    Files.writeString(app.resolve("backend/package-lock.json"), "{}");
    Files.writeString(app.resolve("run.sh"), "#!/bin/sh\n");
  }

  DockerfileImage.Evaluation eval(String dockerfile, Platform p, Map<String, String> args, List<String> ignore) {
    return DockerfileImage.evaluate(Dockerfile.parse("app/Dockerfile", dockerfile),
        new DockerfileImage.Inputs(args, p, new BuildContext(app), IgnoreRules.of(ignore)));
  }

  DockerfileImage.Evaluation eval(String dockerfile) {
    return eval(dockerfile, Platform.LINUX_ARM64, Map.of("BUILD_ARCH", "aarch64", "BUILD_VERSION", "1.3.1"), List.of());
  }

  static List<String> problems(DockerfileImage.Evaluation e) {
    return e.problems().stream().map(Throwable::getMessage).toList();
  }

  @Test
  void readsAnAppWrittenAsHomeAssistantsAppsExampleDoes() {
    DockerfileImage.Evaluation e = eval("""
        # https://developers.home-assistant.io/docs/apps/configuration#app-dockerfile
        ARG BUILD_FROM=ghcr.io/home-assistant/base:3.23
        FROM ${BUILD_FROM}

        # Copy root filesystem
        COPY rootfs /

        LABEL \\
            org.opencontainers.image.title="Home Assistant App: Example app" \\
            org.opencontainers.image.licenses="Apache License 2.0"
        """);
    assertThat(problems(e)).isEmpty();
    ImageSettings s = e.image();
    assertThat(s.base()).contains("ghcr.io/home-assistant/base:3.23");
    assertThat(s.fromLine()).isEqualTo(3);
    assertThat(s.labels()).containsExactly(Map.entry("org.opencontainers.image.title", "Home Assistant App: Example app"),
        Map.entry("org.opencontainers.image.licenses", "Apache License 2.0"));
    assertThat(s.labelLines()).containsEntry("org.opencontainers.image.title", 8);
    assertThat(s.copies()).singleElement().satisfies(c -> {
      assertThat(c.sources()).containsExactly("rootfs");
      assertThat(c.destination()).isEqualTo("/");
      assertThat(c.intoDirectory()).isTrue();
      assertThat(c.line()).isEqualTo(6);
    });
  }

  @Test
  void buildArgsAndPlatformArgumentsChooseTheBasePerPlatform() {
    String df = "ARG BUILD_ARCH\nFROM ghcr.io/home-assistant/${BUILD_ARCH}-base:3.15\nARG TARGETARCH\n"
        + "ARG BUILD_VERSION\nLABEL arch=$TARGETARCH version=${BUILD_VERSION}\n";
    DockerfileImage.Evaluation arm = eval(df);
    assertThat(arm.image().base()).contains("ghcr.io/home-assistant/aarch64-base:3.15");
    assertThat(arm.image().labels()).containsEntry("arch", "arm64").containsEntry("version", "1.3.1");
    DockerfileImage.Evaluation amd = eval(df, Platform.LINUX_AMD64, Map.of("BUILD_ARCH", "amd64"), List.of());
    assertThat(amd.image().base()).contains("ghcr.io/home-assistant/amd64-base:3.15");
    assertThat(amd.buildArgsUsed()).containsExactly("BUILD_ARCH");
  }

  @Test
  void platformArgumentsServeFromWithoutDeclarationButAStageMustDeclareThem() {
    DockerfileImage.Evaluation e = eval("FROM ghcr.io/acme/base-$TARGETARCH:1\nLABEL a=$TARGETARCH\n");
    assertThat(e.image().base()).contains("ghcr.io/acme/base-arm64:1");
    assertThat(problems(e)).containsExactly("app/Dockerfile:2: LABEL: $TARGETARCH has no value here: declare it with "
        + "ARG TARGETARCH (with a default, or give --build-arg TARGETARCH=…)");
  }

  @Test
  void aBaseFromAnUnsetArgIsLeftEmptyForTheCallerToExplain() {
    DockerfileImage.Evaluation e = eval("ARG BUILD_FROM\nFROM $BUILD_FROM\nCOPY rootfs /\n");
    assertThat(problems(e)).isEmpty();
    assertThat(e.image().base()).isEmpty();
    assertThat(e.image().fromText()).isEqualTo("FROM $BUILD_FROM");
  }

  @Test
  void envKeepsBaseImageNamesAsATemplateAndWorkdirCopiesAreRelative() {
    DockerfileImage.Evaluation e = eval("""
        FROM base
        ENV NODE_ENV=production PATH="/app/node_modules/.bin:$PATH"
        ENV OLD style value
        WORKDIR /app
        WORKDIR backend
        COPY backend/package.json backend/package-lock.json ./
        COPY --chmod=755 --chown=1000:1000 run.sh /usr/bin/run-app
        COPY run.sh bin/
        """);
    assertThat(problems(e)).isEmpty();
    ImageSettings s = e.image();
    assertThat(s.env()).containsEntry("NODE_ENV", ShellWords.Value.of("production"))
        .containsEntry("PATH", new ShellWords.Value("/app/node_modules/.bin:${PATH}", true))
        .containsEntry("OLD", ShellWords.Value.of("style value"));
    assertThat(s.workdir()).contains("/app/backend");
    assertThat(s.copies()).extracting(CopyStep::destination, CopyStep::intoDirectory)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/app/backend", true),
            org.assertj.core.groups.Tuple.tuple("/usr/bin/run-app", false),
            org.assertj.core.groups.Tuple.tuple("/app/backend/bin", true));
    assertThat(s.copies().get(0).sources()).containsExactly("backend/package.json", "backend/package-lock.json");
    assertThat(s.copies().get(1).chmod()).contains("755");
    assertThat(s.copies().get(1).chown()).contains("1000:1000");
  }

  @Test
  void globsExpandInSortedOrderAndSeveralSourcesNeedADirectory() {
    DockerfileImage.Evaluation e = eval("FROM base\nCOPY backend/*.json /app/\nCOPY backend/*.json /app\n"
        + "COPY ../secret /x\nCOPY nothing* /x/\n");
    assertThat(e.image().copies()).singleElement().extracting(CopyStep::sources)
        .isEqualTo(List.of("backend/package-lock.json", "backend/package.json"));
    assertThat(problems(e)).containsExactly(
        "app/Dockerfile:3: with more than one source file, the destination must be a directory and end with a / (/app/)",
        "app/Dockerfile:4: COPY ../secret: '../secret' is outside the build context (" + app.toAbsolutePath().normalize()
            + ")",
        "app/Dockerfile:5: COPY nothing*: no file in the build context (" + app.toAbsolutePath().normalize()
            + ") matches 'nothing*'");
  }

  @Test
  void runIsRefusedAtItsLineWithWhatToWriteInstead() {
    DockerfileImage.Evaluation e = eval("""
        FROM base
        RUN \\
            apk add --no-cache nodejs npm
        WORKDIR /app
        RUN npm ci --omit=dev && chmod a+x /run.sh
        """);
    assertThat(problems(e)).hasSize(2);
    assertThat(problems(e).get(0)).startsWith("app/Dockerfile:2: RUN cannot be honoured: graft runs no commands")
        .contains("'- recipe: node-runtime'")
        .endsWith("dockerfile: {ignore: [\"RUN apk add *\"]}");
    assertThat(problems(e).get(1)).startsWith("app/Dockerfile:5: RUN cannot be honoured")
        .contains("from: builder, paths: [/app/node_modules]")
        .contains("COPY --chmod=755")
        .endsWith("dockerfile: {ignore: [\"RUN npm ci *\"]}");
  }

  @Test
  void instructionsGraftYamlTakesOverAreSkippedWithANote() {
    DockerfileImage.Evaluation e = eval("FROM base\nRUN apk add --no-cache   nodejs npm\nRUN npm ci\nCOPY rootfs /\n",
        Platform.LINUX_AMD64, Map.of(), List.of("RUN apk add *", "RUN npm ci*", "RUN pip *"));
    assertThat(problems(e)).isEmpty();
    assertThat(e.notes()).containsExactly(
        "app/Dockerfile:2: RUN apk add --no-cache   nodejs npm skipped: graft.yaml's dockerfile.ignore 'RUN apk add *' "
            + "takes it over",
        "app/Dockerfile:3: RUN npm ci skipped: graft.yaml's dockerfile.ignore 'RUN npm ci*' takes it over");
    assertThat(e.ignoresUsed()).containsExactlyInAnyOrder("RUN apk add *", "RUN npm ci*");
  }

  @Test
  void copyFromAStageThatRunsSomethingIsRefusedAndFromAnImageOnlyStageIsTaken() {
    DockerfileImage.Evaluation e = eval("""
        FROM node:22-alpine AS node
        FROM node:22-alpine AS build
        WORKDIR /src
        RUN npm ci
        FROM base
        COPY --from=node /usr/local/bin/node /usr/local/bin/
        COPY --from=build /src/dist /app
        COPY --from=ghcr.io/acme/tools:1 /usr/bin/jq /usr/bin/jq
        """);
    assertThat(e.image().copies()).extracting(c -> c.fromImage().orElse(""), CopyStep::destination)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("node:22-alpine", "/usr/local/bin"),
            org.assertj.core.groups.Tuple.tuple("ghcr.io/acme/tools:1", "/usr/bin/jq"));
    assertThat(problems(e)).singleElement().asString().startsWith("app/Dockerfile:7: COPY --from=build cannot be "
        + "honoured: stage 'build' runs commands (app/Dockerfile:4: RUN npm ci), and graft runs no build stage.");
  }

  @Test
  void addOfAUrlOrAnArchiveIsRefusedBeforeAnyNetworkCall() throws Exception {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(app.resolve("tools.tar.gz")))) {
      o.write(new byte[1024]);
    }
    DockerfileImage.Evaluation e = eval("FROM base\nADD https://example.com/tool /usr/bin/tool\nADD tools.tar.gz /opt/\n"
        + "ADD run.sh /\n");
    assertThat(problems(e)).containsExactly(
        "app/Dockerfile:2: ADD https://example.com/tool cannot be honoured: graft downloads nothing but images (and "
            + "stops before any network call). Fetch the file before the build (e.g. a CI step) into the app directory "
            + "and COPY it",
        "app/Dockerfile:3: ADD tools.tar.gz would unpack the archive 'tools.tar.gz', which graft does not do: unpack it "
            + "into a directory of the app and COPY that directory");
    assertThat(e.image().copies()).singleElement().extracting(CopyStep::sources).isEqualTo(List.of("run.sh"));
  }

  @Test
  void commandsHealthcheckPortsAndTheRest() {
    DockerfileImage.Evaluation e = eval("""
        FROM base
        CMD ["node", "old.js"]
        FROM 0
        SHELL ["/bin/bash", "-o", "pipefail", "-c"]
        ENTRYPOINT exec node /app/index.js
        EXPOSE 8099 53/udp 9000-9002/tcp
        USER 1000:1000
        VOLUME /data ["/share"]
        STOPSIGNAL SIGINT
        HEALTHCHECK --interval=1m30s --timeout=500ms --retries=3 CMD curl -f http://localhost:8099/ || exit 1
        """);
    assertThat(problems(e)).as("a JSON array after a shell-form word is a word (as in BuildKit)")
        .containsExactly("app/Dockerfile:8: VOLUME: VOLUME [/share] must be an absolute path");
    ImageSettings s = e.image();
    assertThat(s.base()).contains("base");
    assertThat(s.entrypoint()).contains(List.of("/bin/bash", "-o", "pipefail", "-c", "exec node /app/index.js"));
    assertThat(s.cmd()).as("ENTRYPOINT drops a CMD of an earlier stage").isEmpty();
    assertThat(s.ports()).containsExactly("8099/tcp", "53/udp", "9000/tcp", "9001/tcp", "9002/tcp");
    assertThat(s.user()).contains("1000:1000");
    assertThat(s.stopSignal()).contains("SIGINT");
    assertThat(s.healthcheck()).contains(new Healthcheck(List.of("CMD-SHELL",
        "curl -f http://localhost:8099/ || exit 1"), Optional.of(Duration.ofSeconds(90)),
        Optional.of(Duration.ofMillis(500)), Optional.empty(), Optional.of(3)));
  }

  @Test
  void unknownFlagsAndBadValuesAreNamed() {
    DockerfileImage.Evaluation e = eval("FROM --platform=linux/amd64 base AS x\nCOPY --mode=755 run.sh /\n"
        + "COPY --chmod=abc run.sh /\nEXPOSE http\n");
    assertThat(problems(e)).containsExactly(
        "app/Dockerfile:1: FROM --platform=linux/amd64 in a build for linux/arm64: graft builds each platform on its "
            + "own base; drop --platform (or use $TARGETPLATFORM)",
        "app/Dockerfile:2: unknown flag --mode=755 for COPY (it takes --chmod, --chown, --exclude, --from, --link, "
            + "--parents)",
        "app/Dockerfile:3: --chmod=abc is neither octal (755) nor symbolic (u+x, go=rX)",
        "app/Dockerfile:4: EXPOSE: 'http' is not a port (8099, 8099/tcp, 53/udp, 8000-8010)");
  }

  @Test
  void theBuildPlatformIsTheTargetSoBuildPlatformStagesWork() {
    DockerfileImage.Evaluation e = eval("FROM --platform=$BUILDPLATFORM node:22 AS tools\nFROM base\n"
        + "COPY --from=tools /usr/local/bin/node /usr/local/bin/node\n");
    assertThat(problems(e)).isEmpty();
    assertThat(DockerfileImage.platformArgs(Platform.parse("linux/arm/v7")))
        .containsEntry("TARGETPLATFORM", "linux/arm/v7").containsEntry("TARGETVARIANT", "v7")
        .containsEntry("BUILDARCH", "arm");
    assertThat(DockerfileImage.platformArgs(Platform.LINUX_ARM64)).containsEntry("TARGETPLATFORM", "linux/arm64")
        .containsEntry("TARGETVARIANT", "");
  }
}
