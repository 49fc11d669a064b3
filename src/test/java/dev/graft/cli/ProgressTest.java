package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `graft build` shows while it works, in a real process: on a pseudo-terminal (util-linux's
 * `script`) a block of the work in flight redrawn in place, with a layer's bytes growing; on a
 * pipe, under CI=true, plain lines; with --json one event object per line; with --quiet nothing.
 */
class ProgressTest {
  private static final String ESC = "\033";
  private static final Pattern NODE_LAYER = Pattern.compile("write layer node-runtime ([0-9.]+ [KMG]?B) / ([0-9.]+ MB)");

  @TempDir static Path shared;
  static Path app;

  @BeforeAll
  static void example() {
    app = ExampleApp.copyTo(shared.resolve("app"));
  }

  private static List<String> build(Path cache, String to, String... more) {
    List<String> args = new ArrayList<>(List.of("build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir",
        cache.toString(), "--platform", "linux/amd64", "--to", to));
    args.addAll(List.of(more));
    return args;
  }

  /** graft ARGS on a pseudo-terminal: what the terminal received (stdout and stderr), and the exit code. */
  static GraftProcess.Result onTerminal(Map<String, String> env, List<String> args) throws Exception {
    StringBuilder cmd = new StringBuilder("exec ");
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.graft.cli.Main"));
    argv.addAll(args);
    for (String a : argv) {
      cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
    }
    ProcessBuilder pb = new ProcessBuilder(Tools.require("script").toString(), "-qefc", cmd.toString(), "/dev/null")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("GRAFT_") || k.equals("CI") || k.equals("COLUMNS"));
    pb.environment().put("TERM", "xterm");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(shared, "tty", ".out");
    pb.redirectOutput(out.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new GraftProcess.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), "");
  }

  @Test
  void aTerminalSeesTheWorkInFlightRedrawnWithALayersBytesGrowing() throws Exception {
    GraftProcess.Result r = onTerminal(Map.of(), build(shared.resolve("cold-tty"),
        "oci-archive:" + shared.resolve("tty.tar")));
    assertThat(r.exitCode()).as(r.out()).isZero();
    String screen = r.out();
    assertThat(screen).as("the block is redrawn in place: cursor up, erase down")
        .containsPattern(Pattern.quote(ESC) + "\\[\\d+A" + Pattern.quote(ESC) + "\\[J");
    Set<String> frames = new LinkedHashSet<>();
    Matcher m = NODE_LAYER.matcher(screen);
    while (m.find()) {
      frames.add(m.group(1));
      assertThat(m.group(2)).isEqualTo("99.5 MB"); // node's files, the layer's total
    }
    assertThat(frames).as("the node-runtime layer's bytes, redrawn as they grow").hasSizeGreaterThan(1);
    assertThat(screen).containsPattern("write layer node-runtime .* \\([0-9.]+ [KMG]?B/s\\)")
        .contains("written  sha256:", "Built oci-archive:");
    assertThat(screen.substring(screen.lastIndexOf("Built"))).as("the block is gone at the end").doesNotContain(ESC);
  }

  @Test
  void aPipeAndCiSeePlainLines() throws Exception {
    Path cache = shared.resolve("warm");
    GraftProcess.Result piped = GraftProcess.run(Map.of(), build(cache, "oci-archive:" + shared.resolve("p.tar"))
        .toArray(String[]::new));
    assertThat(piped.exitCode()).as(piped.err()).isZero();
    assertThat(piped.err()).doesNotContain(ESC).contains("linux/amd64: write layer 'node-runtime'",
        "linux/amd64: layer node-runtime sha256:", "linux/amd64: verified: 0 errors, 0 warnings", "written  sha256:",
        "wrote oci-archive:");
    GraftProcess.Result ci = onTerminal(Map.of("CI", "true"), build(cache, "oci-archive:" + shared.resolve("ci.tar")));
    assertThat(ci.exitCode()).as(ci.out()).isZero();
    assertThat(ci.out()).as("CI=true: a terminal, but plain lines").doesNotContain(ESC + "[")
        .contains("linux/amd64: verified: 0 errors, 0 warnings", "Built oci-archive:");
    GraftProcess.Result quiet = onTerminal(Map.of(), build(cache, "oci-archive:" + shared.resolve("q.tar"), "-q"));
    assertThat(quiet.exitCode()).isZero();
    assertThat(quiet.out()).as("--quiet: nothing at all").isEmpty();
  }

  @Test
  void jsonEventsAreOneObjectPerLineAsDocumented() throws Exception {
    Path tar = shared.resolve("json.tar");
    GraftProcess.Result r = GraftProcess.run(Map.of(), build(shared.resolve("cold-json"), "oci-archive:" + tar,
        "--json").toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : r.err().lines().toList()) {
      events.add(Json.MAPPER.readTree(line)); // every line is one JSON object
    }
    assertThat(events).allSatisfy(e -> assertThat(e.get("t").isNumber()).isTrue());
    Set<String> kinds = events.stream().map(e -> e.get("event").asText()).collect(Collectors.toSet());
    assertThat(kinds).containsExactlyInAnyOrder("step", "layer-progress", "layer", "verified", "blob-start",
        "blob-progress", "blob", "target");
    String doc = Files.readString(dev.graft.testing.TestData.projectRoot().resolve("docs/progress.md"));
    kinds.forEach(k -> assertThat(doc).as("docs/progress.md defines " + k).contains("`" + k + "`"));
    JsonNode last = events.stream().filter(e -> e.get("event").asText().equals("layer-progress")
        && e.get("layer").asText().equals("node-runtime")).reduce((a, b) -> b).orElseThrow();
    assertThat(last.get("bytes").asLong()).isEqualTo(last.get("total").asLong());
    JsonNode verified = events.stream().filter(e -> e.get("event").asText().equals("verified")).findFirst().orElseThrow();
    assertThat(verified.get("errors").asInt()).isZero();
    assertThat(verified.get("findings")).isEmpty();
    assertThat(events.get(events.size() - 1).get("event").asText()).isEqualTo("target");
    assertThat(Json.MAPPER.readTree(r.out()).get("targets").get(0).get("ref").asText())
        .as("an untagged archive is tagged latest").isEqualTo("oci-archive:" + tar + ":latest");
  }

  @Test
  void inspectRawEndsWithANewlineOnlyOnATerminal() throws Exception {
    String ref = "oci:" + dev.graft.testing.TestData.projectRoot().resolve("testdata/example/oci") + ":latest";
    GraftProcess.Result piped = GraftProcess.run(Map.of(), "inspect", "--raw", ref);
    assertThat(piped.out()).as("exact bytes on a pipe").doesNotEndWith("\n").endsWith("}");
    GraftProcess.Result tty = onTerminal(Map.of(), List.of("inspect", "--raw", ref));
    assertThat(tty.out()).endsWith("}\r\n");
    GraftProcess.Result config = onTerminal(Map.of(), List.of("inspect", "--config", "--platform", "linux/amd64", ref));
    assertThat(config.out()).endsWith("}\r\n");
  }
}
