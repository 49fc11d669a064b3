package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void printsThePlanWithFlagsApplied() throws Exception {
    Files.createDirectories(dir.resolve("dist"));
    Path f = dir.resolve("graft.yaml");
    Files.writeString(f, """
        base: ghcr.io/home-assistant/{arch}-base:3.15
        builder: node:18-alpine3.16
        platforms: [amd64, aarch64]
        layers:
          - recipe: node-runtime
          - { name: app, from: ./dist, to: /app }
        config:
          cmd: [node, /app/index.js]
        to: ghcr.io/acme/app
        """);
    Result r = run("plan", "-f", f.toString(), "--platform", "aarch64", "--tag", "1.0", "--set", "config.env.A=b");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().toList()).startsWith(
        "linux/arm64/v8",
        "  base     ghcr.io/home-assistant/aarch64-base:3.15",
        "  builder  docker.io/library/node:18-alpine3.16",
        "  layer    node-runtime (recipe node-runtime): from builder, closure auto, first of [/usr/local/bin/node, "
            + "/usr/bin/node]",
        "  layer    app: from " + dir.resolve("dist").toAbsolutePath() + ", closure off -> /app",
        "  env      A=b",
        "  cmd      [node, /app/index.js]",
        "index     ghcr.io/acme/app tags 1.0");
  }

  @Test
  void reportsEveryProblemAndExitsWithTwo() throws Exception {
    Path f = dir.resolve("graft.yaml");
    Files.writeString(f, "base: alpine\nplatforms: linux/amd64\nconfig:\n  entrypiont: [node]\n");
    Result r = run("plan", "--file", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(
        "graft: error: 2 problems in the configuration:\n",
        "  " + f + ":2:12: 'platforms' must be a list of os/arch[/variant] (or Home Assistant arches), got a string\n",
        "  " + f + ":4:3: unknown key 'entrypiont' in config (did you mean 'entrypoint'?)\n");
  }

  @Test
  void readsAHomeAssistantAddonAsJson() throws Exception {
    Result r = run("plan", "--addon", "src/test/resources/addons/hasync", "--json", "--platform",
        "aarch64,amd64,armv7");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode plan = new ObjectMapper().readTree(r.out());
    assertThat(plan.get("platforms")).hasSize(3);
    JsonNode arm = plan.get("platforms").get(2);
    assertThat(arm.get("platform").asText()).isEqualTo("linux/arm/v7");
    assertThat(arm.get("targets").get(0).get("name").asText()).isEqualTo("ghcr.io/acme/armv7-addon-hasync");
    assertThat(arm.get("targets").get(0).get("tags").get(0).asText()).isEqualTo("1.2.3");
    assertThat(arm.get("config").get("labels").get("io.hass.arch").asText()).isEqualTo("armv7");
    assertThat(plan.get("index").get(0).get("name").asText()).isEqualTo("ghcr.io/acme/addon-hasync");
    assertThat(plan.get("notes").toString()).contains("build.yaml 'args' is ignored", "Home Assistant deprecated build.yaml")
        .contains("warning: --platform armv7: Home Assistant dropped armv7");
  }

  @Test
  void refusesFileAndAddonTogether() {
    Result r = run("plan", "--file", "x.yaml", "--addon", "y");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("graft: error: give either --file or --addon, not both");
  }

  @Test
  void fileMayBeTheDirectoryHoldingGraftYaml() throws Exception {
    Files.writeString(dir.resolve("graft.yaml"), "base: alpine:3.18\n");
    Result r = run("plan", "-f", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("linux/amd64\n  base     docker.io/library/alpine:3.18\n");
  }

  @Test
  void schemaCommandPrintsTheShippedSchema() throws Exception {
    Result r = run("schema");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Files.readString(Path.of("src/main/resources/graft/graft.schema.json")));
  }
}
